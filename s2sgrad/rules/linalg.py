"""Rule-table rows for linear algebra: inv, solve, det, slogdet, cholesky, eigh, eigvalsh, svd, qr,
pinv, matrix_power (np.linalg.norm is in basic.py).  Stacked (batched) matrices wherever numpy
takes them: every adjoint uses `@` and `np.swapaxes(., -1, -2)`.

Part of THE rule table (rules/__init__.py imports this module; the rows land in `RULES`).  Guarantees:
- functions with several results (eigh, svd, qr, slogdet) are written by rules/args.py as one
  `eigh = decompose(A, 'eigh')` (the results side by side in one array) and one
  `linalg_part(eigh, i, A, kind)` per result: each part's row sends its cotangent to A using the decomposition already computed (the
  sum over parts is the adjoint of the whole), so `w, V = np.linalg.eigh(A)` unpacks them;
- eigh and cholesky read only the lower triangle of A, as numpy does: A gets
  `tril(G + G^T, -1) + diag(G)` where G is the adjoint for a symmetric argument;
- eigh/svd adjoints divide by gaps between eigen/singular values: repeated values give inf/NaN
  there, as in JAX and torch (the derivative of the vectors does not exist);
- slogdet's sign is piecewise constant (no contribution); det/inv/solve at a singular matrix raise
  numpy's LinAlgError in the adjoint (never a silent value).
"""
from __future__ import annotations

from ..builder import E, NP, lift
from ..ir import Call
from .table import structural


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
    na, nb = c.ndim(0), c.ndim(1)
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
    """det: A gets g det(A) inv(A)^T."""
    nd = c.ndim(0)
    if nd == 2:
        return (c.g * c.ans * _mT(NP.linalg.inv(c.args[0])),)
    ge = NP.expand_dims(c.g * c.ans, (-1, -2))
    return (ge * _mT(NP.linalg.inv(c.args[0])),)


structural("np.linalg.inv", _inv, lazy_g=False)
structural("np.linalg.solve", _solve, lazy_g=False)
structural("np.linalg.det", _det, lazy_g=False)


def _cholesky(c):
    """runtime_grads.cholesky_grad: L^-T Phi(L^T g) L^-1 (Phi: the lower triangle, diagonal
    halved), then onto the lower triangle numpy reads."""
    if c.call.kw("upper") is not None:
        raise c.unsupported("upper=")
    return (_rt("cholesky_grad", c.g, c.ans),)


structural("np.linalg.cholesky", _cholesky, lazy_g=False)


def _pinv(c):
    if len(c.args) > 1 or c.call.kwargs:
        raise c.unsupported("rcond/hermitian arguments")
    return (_rt("pinv_grad", c.g, c.args[0], c.ans),)


structural("np.linalg.pinv", _pinv, lazy_g=False)


def _matrix_power(c):
    n = c.kw("n", 1)
    if not isinstance(n, int):
        raise c.unsupported("a power that is not an integer constant")
    if n == 0:
        return (None, None)
    return (_rt("matrix_power_grad", c.g, c.args[0], n), None)


structural("np.linalg.matrix_power", _matrix_power, lazy_g=False)


def _whole(c):
    """eigh/svd/qr/slogdet never get a cotangent themselves: their results are read through
    linalg_part rows (rules/args.py)."""
    raise c.unsupported("a decomposition whose results are not unpacked (internal)")


for _op in ("np.linalg.eigh", "np.linalg.eigvalsh", "np.linalg.svd", "np.linalg.qr", "np.linalg.slogdet",
            "decompose"):
    structural(_op, _whole, lazy_g=False)


def _part(c):
    """linalg_part(res, i, A, kind) is res[i]: A gets runtime_grads.linalg_part_grad."""
    kind, i = c.call.args[3].value, c.call.args[1].value
    if kind == "slogdet" and i == 0:
        return (None, None, None, None)  # the sign: piecewise constant
    return (None, None, _rt("linalg_part_grad", c.g, c.args[0], i, c.args[2], kind), None)


structural("linalg_part", _part, lazy_g=False)
