"""Rule-table rows for scipy.linalg's triangular and Cholesky solvers and its matrix exponential,
as GP, Gaussian and Markov-chain code writes them:

    alpha = solve_triangular(L, y, lower=True)
    c, low = cho_factor(K, lower=True); alpha = cho_solve((c, low), y)
    P = expm(Q * t)

Part of THE rule table; rules/resolve.py maps scipy.linalg's functions to these rows, whose names
are the run-time helpers the generated code calls (runtime_scipy.py, scipy's own functions).

solve_triangular(a, b, trans=0, lower=False, unit_diagonal=False, overwrite_b=False,
check_finite=True): x with T x = b (trans 0) or T^T x = b (trans 1 or 'T'; 2 or 'C' is the same for
real arrays), T the lower or upper triangle of a, its diagonal taken as ones where unit_diagonal.
b gets u = T^-T g (trans 0) or T^-1 g (trans 1); a gets -u x^T (or -x u^T) on the triangle scipy
reads and nothing elsewhere; the tangent is solve(T, db - dT x) (or with T^T).

cho_factor(a, lower=False, overwrite_a=False, check_finite=True) is `(c, lower)` (rules/args.py
writes the call as that tuple): c is scipy's, the Cholesky factor in one triangle and a's own
entries in the other (scipy leaves them), so a gets the Cholesky adjoint of the factor's triangle
(read from a's same triangle, as LAPACK reads it) plus the other triangle's cotangent as it is.
cho_solve((c, lower), b, overwrite_b=False, check_finite=True) solves (T T^T) x = b (T = tril(c))
or (U^T U) x = b (U = triu(c)): b gets cho_solve(c, g), c gets -tril((M + M^T) T) or
-triu(U (M + M^T)) with M = u x^T, u = b's cotangent; its other triangle nothing.

expm(A) (a matrix or a stack of them): A gets L(A^T, g), the tangent is L(A, dA), L the Frechet
derivative, computed as the upper right block of the exponential of [[A, E], [0, A]] (Higham's
block form, exact up to expm's own rounding); `expm_frechet(A, E)` is a row of its own, with the
same block form one size up for its derivatives, so second derivatives follow.

Guarantees: the values are scipy's; a, b and c get exact vector-Jacobian products on the entries
scipy reads and exactly zero elsewhere; the tangents are written with rows of the table (these,
tril/triu, @, solve), so second derivatives (hvp) follow where the ranks are known when compiling
(where they are known only when the code runs, runtime_scipy's helpers compute the same first
derivatives and raise for ranks scipy's 2-D routines would batch).  Refused: trans, lower and
unit_diagonal computed at run time, overwrite_a/overwrite_b=True (scipy may write into its
argument, which s2sgrad would not follow), a of other than two dimensions, b of more than two."""
from __future__ import annotations

from ..builder import E, NP, lift
from ..ir import Call, Const, ListExpr, Name, Tuple
from .linalg import cholesky_tangent
from .table import structural

_TRANS = {0: 0, "N": 0, "n": 0, 1: 1, "T": 1, "t": 1, 2: 1, "C": 1, "c": 1}


def _options(c):
    trans, lower, unit = c.kw("trans", 2, 0), c.kw("lower", 3, False), c.kw("unit_diagonal", 4, False)
    if c.kw("overwrite_b", 5, False):
        raise c.unsupported("overwrite_b=True (scipy may write into b, which s2sgrad does not follow): leave it "
                            "False")
    if type(trans) not in (int, str) or trans not in _TRANS:
        raise c.unsupported(f"trans={trans!r} (0, 1, 2, 'N', 'T' or 'C')")
    if c.rank(0) is not None and c.rank(1) is not None and (c.rank(0) != 2 or c.rank(1) not in (1, 2)):
        raise c.unsupported("an a that is not one matrix, or a b of more than two dimensions")
    return _TRANS[trans], bool(lower), bool(unit)


def _solve(a, b, trans, lower, unit):
    return E(Call("scipy_solve_triangular", (lift(a), lift(b), Const(trans), Const(lower), Const(unit))))


def _triangle(m, lower, unit):
    """The entries of m that scipy reads of a: its lower or upper triangle, without the diagonal
    where unit_diagonal."""
    return NP.tril(m, -1 if unit else 0) if lower else NP.triu(m, 1 if unit else 0)


def _known(c):
    """Whether both ranks are known when compiling (else runtime_scipy's helpers decide them)."""
    return c.rank(0) is not None and c.rank(1) is not None


def _adjoint(c):
    trans, lower, unit = _options(c)
    a, x = c.args[0], c.ans
    out = [None] * len(c.args)
    if not _known(c):
        for i in (0, 1):
            if c.active(i):
                out[i] = E(Call("solve_triangular_adjoint", (lift(c.g), lift(a), lift(x), Const(trans), Const(lower),
                                                             Const(unit), Const(i))))
        return tuple(out)
    u = _solve(a, c.g, 1 - trans, lower, unit)
    if c.active(0) and c.active(1):
        u = c.let(u, "tri_g")  # (both contributions read it)
    if c.active(0):
        left, right = (u, x) if trans == 0 else (x, u)
        outer = NP.outer(left, right) if c.rank(1) == 1 else left @ right.T
        out[0] = -_triangle(outer, lower, unit)
    if c.active(1):
        out[1] = u
    return tuple(out)


def _tangent(c):
    if not (c.has_tangent(0) or c.has_tangent(1)):
        return None
    trans, lower, unit = _options(c)
    a, x = c.args[0], c.ans
    if not _known(c):
        da, db = (c.t(i) if c.has_tangent(i) else None for i in (0, 1))
        return E(Call("solve_triangular_tangent", (lift(a), lift(x), lift(da), lift(db), Const(trans), Const(lower),
                                                   Const(unit))))
    rhs = c.t(1) if c.has_tangent(1) else None
    if c.has_tangent(0):
        dt = _triangle(c.t(0), lower, unit)
        step = (dt if trans == 0 else dt.T) @ x
        rhs = -step if rhs is None else rhs - step
    return _solve(a, rhs, trans, lower, unit)


structural("scipy_solve_triangular", _adjoint, lazy_g=False, jvp=_tangent)


# ----------------------------------------------------------------------- cho_factor, cho_solve
def cholesky_pair(op, args, kwargs, refuse, bind):
    """The call of scipy.linalg.cho_factor as the tuple `(scipy_cho_factor(a, lower, check_finite), lower)` it
    returns, and of cho_solve((c, lower), b) as `scipy_cho_solve(c, lower, b, check_finite)` (the
    pair given as a tuple or as a name bound to one); rules/args.py calls this."""
    op = "scipy_" + op.rsplit(".", 1)[1]  # (the row)
    names = ("a", "lower", "overwrite_a", "check_finite") if op == "scipy_cho_factor" else \
        ("c_and_lower", "b", "overwrite_b", "check_finite")
    given = dict(zip(names, args))
    for k, v in kwargs:
        if k not in names or k in given:
            raise refuse(f"{op[len('scipy_'):]}: the argument {k!r} " + ("given twice" if k in given else
                                                                         "is not one scipy takes"))
        given[k] = v
    if len(args) > len(names) or names[0] not in given or (op == "scipy_cho_solve" and "b" not in given):
        raise refuse(f"{op[len('scipy_'):]}: the arguments scipy takes ({', '.join(names)})")
    overwrite = given.get(names[2], Const(False))
    if not (isinstance(overwrite, Const) and overwrite.value is False):
        raise refuse(f"{op[len('scipy_'):]} with {names[2]}= other than False (scipy may write into its argument, "
                     "which s2sgrad does not follow): leave it False")
    finite = given.get("check_finite", Const(True))
    for k in ("a", "b"):  # (a list written out: the array scipy makes of it)
        if isinstance(given.get(k), (ListExpr, Tuple)):
            given[k] = Call("np.array", (given[k],))
    if op == "scipy_cho_factor":
        lower = given.get("lower", Const(False))
        if not isinstance(lower, (Const, Name)):
            lower = bind(lower, "lower")  # (read twice: the row's option and the tuple's second item)
        return Tuple((Call(op, (given["a"], lower, finite)), lower))
    pair = given["c_and_lower"]
    if isinstance(pair, Tuple) and len(pair.elts) == 2:
        c, lower = pair.elts
    elif _read_only(pair):  # (fac, t[0], d['f']: read twice, computing nothing)
        c, lower = (Call("getitem", (pair, Const(i))) for i in (0, 1))
    else:
        raise refuse("cho_solve: a first argument that is not the pair cho_factor returned (cho_solve((c, low), b) "
                     "or cho_solve(factor, b))")
    return Call(op, (c, lower, given["b"], finite))


def _read_only(e) -> bool:
    """A name, or an element of one by constant keys (t[0], d['f']): reading it twice computes nothing."""
    while isinstance(e, Call) and e.op == "getitem" and len(e.args) == 2 and isinstance(e.args[1], Const):
        e = e.args[0]
    return isinstance(e, Name)


def _cho_options(c, b):
    """cho_factor's and cho_solve's lower (a constant) and whether the ranks are known (a or c one
    matrix; b, at position `b`, of one or two dimensions: refused otherwise)."""
    lower = c.kw("lower", 1, False)
    if type(lower) not in (bool, int):
        raise c.unsupported(f"lower={lower!r} (True or False)")
    lower = bool(lower)  # (scipy reads it as a truth value: lower=1)
    ranks = [c.rank(0)] + ([c.rank(b)] if b is not None else [])
    if None in ranks or b is None and ranks[0] == 0:  # (cho_factor of a number: scipy's 1x1 factor)
        return lower, False
    if ranks[0] != 2 or (b is not None and ranks[1] not in (1, 2)):
        raise c.unsupported("a matrix that is not one 2-D array, or a right-hand side of more than two dimensions")
    return lower, True


def _cho_factor_adjoint(c):
    lower, _ = _cho_options(c, None)
    return (E(Call("cho_factor_adjoint", (lift(c.g), lift(c.ans), Const(lower)))),) + (None,) * (len(c.args) - 1)


def _cho_factor_tangent(c):
    if not c.has_tangent(0):
        return None
    lower, known = _cho_options(c, None)
    da = c.t(0)
    if not known:
        return E(Call("cho_factor_tangent", (lift(c.ans), lift(da), Const(lower))))
    if lower:  # (c: L below and on the diagonal, a's own entries above)
        low = NP.tril(c.ans)
        return cholesky_tangent(c, low, c.let(NP.tril(da) + NP.tril(da, -1).T, "sym_da")) + NP.triu(da, 1)
    low = NP.triu(c.ans).T  # (c: U = L^T above and on the diagonal, a's own entries below)
    return cholesky_tangent(c, low, c.let(NP.triu(da).T + NP.triu(da, 1), "sym_da")).T + NP.tril(da, -1)


def _cho_solve_adjoint(c):
    lower, known = _cho_options(c, 2)
    out = [None] * len(c.args)
    f, x = c.args[0], c.ans
    if not known:
        for i in (0, 2):
            if c.active(i):
                out[i] = E(Call("cho_solve_adjoint", (lift(c.g), lift(f), Const(lower), lift(x), Const(i))))
        return tuple(out)
    u = E(Call("scipy_cho_solve", (lift(f), Const(lower), lift(c.g))))
    if c.active(0) and c.active(2):
        u = c.let(u, "cho_g")  # (both contributions read it)
    if c.active(0):
        m = c.let(NP.outer(u, x) if c.rank(2) == 1 else u @ x.T, "cho_m")
        out[0] = -NP.tril((m + m.T) @ NP.tril(f)) if lower else -NP.triu(NP.triu(f) @ (m + m.T))
    if c.active(2):
        out[2] = u
    return tuple(out)


def _cho_solve_tangent(c):
    if not (c.has_tangent(0) or c.has_tangent(2)):
        return None
    lower, known = _cho_options(c, 2)
    f, x = c.args[0], c.ans
    dc, db = (c.t(i) if c.has_tangent(i) else None for i in (0, 2))
    if not known:
        return E(Call("cho_solve_tangent", (lift(f), Const(lower), lift(x), lift(dc), lift(db))))
    rhs = db
    if dc is not None:
        if lower:
            t, dt = NP.tril(f), NP.tril(dc)
            step = dt @ (t.T @ x) + t @ (dt.T @ x)  # (dA x, A = T T^T)
        else:
            t, dt = NP.triu(f), NP.triu(dc)
            step = dt.T @ (t @ x) + t.T @ (dt @ x)  # (dA x, A = U^T U)
        rhs = -step if rhs is None else rhs - step
    return E(Call("scipy_cho_solve", (lift(f), Const(lower), lift(rhs))))


structural("scipy_cho_factor", _cho_factor_adjoint, lazy_g=False, jvp=_cho_factor_tangent)
structural("scipy_cho_solve", _cho_solve_adjoint, lazy_g=False, jvp=_cho_solve_tangent)


# ------------------------------------------------------------------------------------- expm
def _expm(c):
    """expm: A gets L(A^T, g), the Frechet derivative of expm at A^T in the direction g (for a real
    A, the adjoint of E -> L(A, E)); runtime_scipy.expm_frechet computes it from the block matrix
    [[A^T, g], [0, A^T]] (per matrix of a stack).  A number (scipy's 1x1 matrix) or a rank known
    only when running: runtime_scipy.expm_adjoint."""
    if c.rank(0) is None or c.rank(0) < 2:
        return (E(Call("expm_adjoint", (lift(c.args[0]), lift(c.g)))),)
    return (E(Call("expm_frechet", (lift(NP.swapaxes(c.args[0], -1, -2)), lift(c.g)))),)


def _expm_tangent(c):
    """d expm(A) = L(A, dA)."""
    if not c.has_tangent(0):
        return None
    return E(Call("expm_frechet", (lift(c.args[0]), lift(c.t(0)))))


def _frechet(c):
    """L(A, E), the upper right block of expm(M), M = [[A, E], [0, A]]: M gets L(M^T, [[0, g], [0,
    0]]), whose diagonal blocks go to A and upper right block to E (runtime_scipy)."""
    return tuple(E(Call("expm_frechet_adjoint", (lift(c.args[0]), lift(c.args[1]), lift(c.g), Const(i))))
                 if c.active(i) else None for i in (0, 1))


def _frechet_tangent(c):
    """d L(A, E): the upper right block of L(M, dM), dM = [[dA, dE], [0, dA]]."""
    if not (c.has_tangent(0) or c.has_tangent(1)):
        return None
    da, de = (c.t(i) if c.has_tangent(i) else None for i in (0, 1))
    return E(Call("expm_frechet_tangent", (lift(c.args[0]), lift(c.args[1]), lift(da), lift(de))))


structural("scipy_expm", _expm, lazy_g=False, jvp=_expm_tangent)
structural("expm_frechet", _frechet, lazy_g=False, jvp=_frechet_tangent)
