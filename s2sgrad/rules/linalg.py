"""Rule-table rows for linear algebra: inv, solve, det, slogdet, cholesky, eigh, eigvalsh, svd, qr,
pinv, matrix_power (np.linalg.norm is in basic.py).  Stacked (batched) matrices wherever numpy
takes them: every adjoint uses `@` and `np.swapaxes(., -1, -2)`.

Part of THE rule table (rules/__init__.py imports this module; the rows land in `RULES`).  Guarantees:
- functions with several results (eigh, svd, qr) are written by rules/args.py as one
  `eigh = decompose(A, 'eigh')` (the results side by side in one array) and one
  `linalg_part(eigh, i, A, kind)` per result: each part's row sends its cotangent to A using the decomposition already computed (the
  sum over parts is the adjoint of the whole), so `w, V = np.linalg.eigh(A)` unpacks them;
- eigh and cholesky read only the lower triangle of A, as numpy does: A gets
  `tril(G + G^T, -1) + diag(G)` where G is the adjoint for a symmetric argument;
- eigh/svd adjoints divide by gaps between eigen/singular values: repeated values give inf/NaN
  there, as in JAX and torch (the derivative of the vectors does not exist);
- `sign, logdet = np.linalg.slogdet(A)` is `logdet_sign(A)` (piecewise constant: no contribution)
  and `logdet(A)`, whose derivatives are written with inv (second derivatives too); det's first and second derivatives (the
  cofactor matrix, and its own derivative) are exact at a singular matrix too (runtime_linalg:
  cofactor, cofactor_grad, cofactor_jvp); inv/solve at a singular matrix raise numpy's
  LinAlgError (never a silent value);
- forward mode: each row's tangent in math notation (d inv = -inv dA inv, d det = det tr(A^-1 dA),
  dx = A^-1 (db - dA x), cholesky dL = L Phi(L^-1 dA L^-T)), the decompositions' in
  runtime_jvp.decompose_jvp (every result's tangent, packed like the results), which
  `linalg_part` reads as it reads the results; the same subgradients as the reverse rules.
"""
from __future__ import annotations

from ..builder import E, NP, lift
from ..errors import UnsupportedSyntaxError
from ..ir import Call, Const
from .. import runtime_jvp  # noqa: F401  (registers the tangent helpers in the generated code's namespace)
from .table import linear, structural, unary


def _rt(name, *args):
    return E(Call(name, tuple(lift(a) for a in args)))


def _mT(e):
    return NP.swapaxes(e, -1, -2)


def _inv(c):
    """inv: A gets -inv(A)^T g inv(A)^T."""
    t = c.ans.T if c.ndim(0) == 2 else _mT(c.ans)
    return (-(t @ c.g @ t),)


def _solve(c):
    """x = solve(A, b): b gets solve(A^T, g), A gets -(that) x^T (b a vector with a 2-D A, or a
    stack of matrices like A)."""
    na, nb = c.rank(0), c.rank(1)
    a, x = c.args[0], c.ans
    if na is None or nb is None:  # ranks known only at run time
        return (_rt("solve_grad", c.g, a, c.args[1], x, 0), _rt("solve_grad", c.g, a, c.args[1], x, 1))
    gb = NP.linalg.solve(_mT(a) if na != 2 else a.T, c.g)
    if c.active(0) and c.active(1):
        gb = c.let(gb, "solve_g")  # both contributions read it
    if nb == 1 and na == 2:
        return (-NP.outer(gb, x), gb)
    if na is None or nb != na:
        raise c.unsupported("a right-hand side that is neither a vector for a 2-D A nor a stack of matrices like A")
    return (-(gb @ _mT(x)), gb)


def _det(c):
    """det: A gets g cofactor(A) (Jacobi's formula: det(A) inv(A)^T where A is invertible, and exact
    at a singular A too, runtime_linalg.cofactor)."""
    if c.ndim(0) == 2:
        return (c.g * _rt("cofactor", c.args[0]),)
    return (NP.expand_dims(c.g, (-1, -2)) * _rt("cofactor", c.args[0]),)


def _cofactor(c):
    """C = cofactor(A) (its row serves det's second derivatives): A gets cofactor_grad(G, A), from
    the SVD, exact at a singular A too (runtime_linalg; det(A) (<G, A^-T> A^-T - A^-T G^T A^-T)
    where A is invertible)."""
    return (_rt("cofactor_grad", c.g, c.args[0]),)


def _cofactor_jvp(c):
    """dC = cofactor_jvp(A, dA) (det(A) (tr(A^-1 dA) A^-T - A^-T dA^T A^-T) where A is invertible)."""
    return _rt("cofactor_jvp", c.args[0], c.t(0))


def _inv_jvp(c):
    """d inv(A) = -inv(A) dA inv(A)."""
    return -(c.ans @ c.t(0) @ c.ans)


def _solve_jvp(c):
    """x = solve(A, b): dx = solve(A, db - dA x)."""
    na, nb = c.rank(0), c.rank(1)
    a, x, da, db = c.args[0], c.ans, c.t(0), c.t(1)
    # (a 2-D A: dA x is right for a vector, a matrix or a stack of them, whatever b's rank)
    if na != 2 and (na is None or nb is None or nb != na):
        raise c.unsupported("a right-hand side that is neither a vector for a 2-D A nor a stack of matrices "
                            "like A, in forward mode")
    rhs = db if da is None else -(da @ x) if db is None else db - da @ x
    return NP.linalg.solve(a, rhs)


def _det_jvp(c):
    """d det(A) = sum(cofactor(A) * dA) (per matrix of a stack; det(A) tr(A^-1 dA) where A is
    invertible)."""
    if c.ndim(0) == 2:
        return NP.sum(_rt("cofactor", c.args[0]) * c.t(0))
    return NP.sum(_rt("cofactor", c.args[0]) * c.t(0), axis=(-2, -1))


def _logdet(c):
    """logdet(A) = log |det A| (slogdet's second result): A gets g inv(A)^T."""
    if c.ndim(0) == 2:
        return (c.g * NP.linalg.inv(c.args[0]).T,)
    return (NP.expand_dims(c.g, (-1, -2)) * _mT(NP.linalg.inv(c.args[0])),)


def _logdet_jvp(c):
    """d logdet(A) = tr(A^-1 dA) = sum(inv(A)^T * dA) (per matrix of a stack): written with inv, so
    the generated tangent code has second derivatives (hvp of a Gaussian log-likelihood)."""
    if c.ndim(0) == 2:
        return NP.sum(NP.linalg.inv(c.args[0]).T * c.t(0))
    return NP.sum(_mT(NP.linalg.inv(c.args[0])) * c.t(0), axis=(-2, -1))


structural("logdet", _logdet, lazy_g=False, jvp=_logdet_jvp)
structural("np.linalg.inv", _inv, lazy_g=False, jvp=_inv_jvp)
structural("np.linalg.solve", _solve, lazy_g=False, jvp=_solve_jvp)
structural("np.linalg.det", _det, lazy_g=False, jvp=_det_jvp)
structural("cofactor", _cofactor, lazy_g=False, jvp=_cofactor_jvp)


def _cholesky(c):
    """runtime_grads.cholesky_grad: L^-T Phi(L^T g) L^-1 (Phi: the lower triangle, diagonal
    halved), then onto the lower triangle numpy reads."""
    if c.call.kw("upper") is not None:
        raise c.unsupported("upper=")
    return (_rt("cholesky_grad", c.g, c.ans),)


def _tr(c, e):
    """e's matrices transposed: `.T` for one matrix, swapaxes on the last two axes for a stack."""
    return e.T if c.ndim(0) == 2 else _mT(e)


def _cholesky_jvp(c):
    """A = L L^T (from A's lower triangle, as numpy reads it): with S = tril(dA) + tril(dA, -1)^T
    and X = L^-1 S L^-T, dL = L Phi(X), Phi the lower triangle with its diagonal halved."""
    if c.call.kw("upper") is not None:
        raise c.unsupported("upper=")
    da, low = c.t(0), c.ans
    return cholesky_tangent(c, low, c.let(NP.tril(da) + _tr(c, NP.tril(da, -1)), "sym_dA"))


def cholesky_tangent(c, low, sym):
    """dL = L Phi(L^-1 S L^-T) for the factor L (`low`) of A = L L^T and the symmetric tangent S
    (`sym`) of A (also scipy.linalg.cho_factor's factor: rules/scipy_linalg.py)."""
    x = c.let(NP.linalg.solve(low, _tr(c, NP.linalg.solve(low, sym))), "chol_X")
    return low @ (NP.tril(x) - 0.5 * x * NP.eye(low.shape[-1]))


structural("np.linalg.cholesky", _cholesky, lazy_g=False, jvp=_cholesky_jvp)


def _pinv(c):
    if len(c.args) > 1 or c.call.kwargs:
        raise c.unsupported("rcond/hermitian arguments")
    return (_rt("pinv_grad", c.g, c.args[0], c.ans),)


def _pinv_jvp(c):
    """P = pinv(A), constant rank: dP = -P dA P + P P^T dA^T (I - A P) + (I - P A) dA^T P^T P."""
    if len(c.args) > 1 or c.call.kwargs:
        raise c.unsupported("rcond/hermitian arguments")
    a, p, da = c.args[0], c.ans, c.t(0)
    dat, pt = c.let(_tr(c, da), "dA_T"), _tr(c, p)
    return (-(p @ da @ p) + p @ pt @ dat @ (NP.eye(a.shape[-2]) - a @ p)
            + (NP.eye(a.shape[-1]) - p @ a) @ dat @ pt @ p)


structural("np.linalg.pinv", _pinv, lazy_g=False, jvp=_pinv_jvp)


def _matrix_power(c):
    n = c.kw("n", 1)
    if not isinstance(n, int):
        raise c.unsupported("a power that is not an integer constant")
    if n == 0:
        return (None, None)
    return (_rt("matrix_power_grad", c.g, c.args[0], n), None)


def _matrix_power_jvp(c):
    """d(A^n) = sum_k A^k dA A^(n-1-k) (n < 0: B = inv(A), dB = -B dA B, then B^-n): written out
    for |n| <= 4, runtime_jvp.matrix_power_jvp beyond."""
    n = c.kw("n", 1)
    if not isinstance(n, int):
        raise c.unsupported("a power that is not an integer constant")
    if n == 0:
        return None
    if abs(n) > 4:
        return E(Call("matrix_power_jvp", (c.args[0].e, c.t(0).e, lift(n))))
    # a few factors: the product rule written out (`dA @ A + A @ dA`), which second order can read
    a, da = c.args[0], c.t(0)
    if n < 0:
        a = c.let(NP.linalg.inv(a), "inv_A")
        da = c.let(-(a @ da @ a), "dot_inv_A")
    out = None
    for k in range(abs(n)):
        factors = [a] * k + [da] + [a] * (abs(n) - 1 - k)
        term = factors[0]
        for f in factors[1:]:
            term = term @ f
        out = term if out is None else out + term
    return out


structural("np.linalg.matrix_power", _matrix_power, lazy_g=False, jvp=_matrix_power_jvp)


def _whole(c):
    """eigh/svd/qr/slogdet never get a cotangent themselves: their results are read through
    linalg_part rows (rules/args.py)."""
    raise c.unsupported("a decomposition whose results are not unpacked (internal)")


for _op in ("np.linalg.eigh", "np.linalg.eigvalsh", "np.linalg.svd", "np.linalg.qr", "np.linalg.slogdet"):
    structural(_op, _whole, lazy_g=False, jvp=_whole)  # rules/args.py writes these as decompose + linalg_part


def _wide_qr(c, a):
    """QR of a matrix with fewer rows than columns (argument a): refused when its shape is known
    (runtime_linalg.qr_grad raises when it runs otherwise)."""
    shape = c.shape(a)
    if shape is not None and len(shape) >= 2 and shape[-2] < shape[-1]:
        raise UnsupportedSyntaxError(f"np.linalg.qr of a wide matrix ({shape[-2]} x {shape[-1]}): s2sgrad "
                                     "differentiates the QR of matrices with at least as many rows as columns "
                                     "(differentiate np.linalg.qr(A.T), or the QR of A's first square block)",
                                     c.s.loc)


def _decompose_jvp(c):
    """Every result's tangent, packed like the results (runtime_jvp.decompose_jvp)."""
    if c.call.args[1] == Const("qr"):
        _wide_qr(c, 0)
    return _rt("decompose_jvp", c.ans, c.args[0], c.t(0), c.call.args[1])


structural("decompose", _whole, lazy_g=False, jvp=_decompose_jvp)


def _part(c):
    """linalg_part(res, i, A, kind) is res[i]: A gets runtime_grads.linalg_part_grad."""
    kind, i = c.call.args[3].value, c.call.args[1].value
    if kind == "slogdet" and i == 0:
        return (None, None, None, None)  # the sign: piecewise constant
    if kind == "qr":
        _wide_qr(c, 2)
    return (None, None, _rt("linalg_part_grad", c.g, c.args[0], i, c.args[2], kind), None)


structural("linalg_part", _part, lazy_g=False, jvp=linear(0))  # result i's tangent, read from the packed tangents


# np.linalg.svd(a) of a square matrix (full_matrices=True is then the thin SVD): the identity,
# with the check that a is square when it runs (rules/args.py)
unary("square_matrix", lambda g, ans, x: g)


# np.linalg.multi_dot's check of its operands' ranks (rules/args.py, runtime_linalg.multi_dot_checked):
# the first operand itself, its cotangent passed through; the others only checked
structural("multi_dot_checked", lambda c: (c.g,) + (None,) * (len(c.args) - 1), lazy_g=False, jvp=linear(0))
