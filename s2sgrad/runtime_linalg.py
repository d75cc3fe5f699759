"""Adjoint helpers of the linear-algebra rows the generated code calls (rules/linalg.py says what
each row guarantees).  Stacked matrices throughout: `@` and swapaxes on the last two axes.

Guarantee: each returns the exact vector-Jacobian product for its numpy function, in A's shape;
eigh and cholesky send it to the lower triangle numpy reads.
"""
from __future__ import annotations

import warnings

import numpy as np


def _mT(a):
    return np.swapaxes(a, -1, -2)


def _diag(a):
    """The diagonal of each matrix as a writeable view."""
    return np.einsum("...ii->...i", a)


def _onto_lower(s):
    """The adjoint of a function of a symmetric matrix built from A's lower triangle (numpy's
    eigh and cholesky read only that): tril(S + S^T, -1) + diag(S)."""
    out = np.tril(s + _mT(s), -1)
    _diag(out)[...] = _diag(s)
    return out


def _gaps(w, what=None, depth=3):
    """F[i, j] = 1 / (w[j] - w[i]) off the diagonal, 0 on it.  `what` (the decomposition, in a
    reverse rule): values equal within rounding warn, because the adjoint through the vectors then
    divides rounding noise by a difference of rounding size -- a number as wrong as it is finite
    (the exact limit, finite for a function of the matrix, is not in the data; JAX and PyTorch share
    this), or inf / nan where the values are exactly equal."""
    d = w[..., None, :] - w[..., :, None]
    n = w.shape[-1]
    eye = np.eye(n, dtype=bool)
    if what is not None:
        eps = np.finfo(np.result_type(w, float)).eps
        scale = np.max(np.abs(w), axis=-1, keepdims=True)[..., None]
        if np.any(~eye & (np.abs(d) <= 64 * n * eps * scale)):
            warnings.warn(f"s2sgrad: {what} has values equal within rounding: the gradient through its vectors "
                          "divides by their differences and is not reliable at this point (a function of the "
                          "values alone avoids it: np.linalg.eigvalsh, or svd's singular values)", RuntimeWarning,
                          stacklevel=depth)  # (the generated code's line)
    with np.errstate(divide="ignore"):
        return np.where(eye, 0.0, 1.0 / np.where(eye, 1.0, d))


def _part_shapes(a_shape, kind):
    batch, (m, n) = tuple(a_shape[:-2]), tuple(a_shape[-2:])
    k = min(m, n)
    shapes = {"eigh": [(n,), (n, n)], "svd": [(m, k), (k,), (k, n)], "qr": [(m, k), (k, n)],
              "slogdet": [(), ()]}[kind]
    return batch, shapes


def square_matrix(a):
    """a, when its last two axes are of one size: `np.linalg.svd(a)` (full_matrices=True) is then
    the thin SVD, the one with a derivative; anything else is an error naming what to write."""
    from .errors import ArgumentError
    m, n = np.shape(a)[-2:]
    if m != n:
        raise ArgumentError(f"np.linalg.svd of a {m}x{n} matrix without full_matrices=False: the full SVD's "
                            "extra columns have no derivative; pass full_matrices=False (the thin SVD)")
    return a


def decompose(a, kind):
    """np.linalg.eigh / svd(full_matrices=False) / qr / slogdet of a, computed once, its results
    flattened side by side along one last axis (one array, so its shape is known when compiling;
    linalg_part reads result i back)."""
    a = np.asarray(a)
    res = {"eigh": np.linalg.eigh, "svd": lambda x: np.linalg.svd(x, full_matrices=False),
           "qr": np.linalg.qr, "slogdet": np.linalg.slogdet}[kind](a)
    batch = a.shape[:-2]
    return np.concatenate([np.reshape(r, batch + (-1,)) for r in res], axis=-1)


def _unpack(pack, a_shape, kind):
    batch, shapes = _part_shapes(a_shape, kind)
    out, start = [], 0
    for s in shapes:
        size = int(np.prod(s))
        out.append(pack[..., start:start + size].reshape(batch + s))
        start += size
    return out


def linalg_part(pack, i, a, kind):
    """Result i of a decomposition computed once by `decompose` (`w = linalg_part(eigh, 0, a,
    'eigh')` is `np.linalg.eigh(a)[0]`): an array of its own, as numpy's is -- a view into the pack
    would let `U[:, -1] *= -1` change the factors the adjoint reads (a silent wrong gradient)."""
    return _unpack(pack, np.shape(a), kind)[i].copy()


def linalg_part_grad(g, pack, i, a, kind):
    """A's adjoint from the cotangent g of result i of eigh / svd / qr / slogdet."""
    res = _unpack(pack, np.shape(a), kind)
    if kind == "eigh":
        w, v = res
        if i == 0:
            s = (v * g[..., None, :]) @ _mT(v)
        else:
            s = v @ (_gaps(w, 'np.linalg.eigh') * (_mT(v) @ g)) @ _mT(v)
        return _onto_lower(s)
    if kind == "svd":
        u, sv, vt = res
        return svd_grad(g if i == 0 else None, g if i == 1 else None, g if i == 2 else None, u, sv, vt, a)
    if kind == "qr":
        q, r = res
        return qr_grad(g if i == 0 else None, g if i == 1 else None, q, r)
    if kind == "slogdet":
        return np.asarray(g)[..., None, None] * _mT(np.linalg.inv(a))
    raise ValueError(kind)


def svd_grad(gu, gs, gvt, u, s, vt, a):
    """The adjoint of the thin SVD A = U diag(s) V^T (Townsend's formula, including the parts
    outside U's and V's spans for rectangular A)."""
    a = np.asarray(a)
    m, n = a.shape[-2:]
    if u.shape[-1] != min(m, n) or vt.shape[-2] != min(m, n):
        raise ValueError("s2sgrad: np.linalg.svd is differentiated with full_matrices=False only")
    v = _mT(vt)
    out = np.zeros(a.shape, np.result_type(a, float))
    if gs is not None:
        out = out + (u * gs[..., None, :]) @ vt
    if gu is None and gvt is None:
        return out
    f = _gaps(s * s, 'np.linalg.svd', 4)  # F[i, j] = 1 / (s_j^2 - s_i^2)
    sm = s[..., None, :]  # multiplies columns
    inner = np.zeros(s.shape + s.shape[-1:], out.dtype)
    if gu is not None:
        j = f * (_mT(u) @ gu - _mT(gu) @ u)
        inner = inner + j * sm
        with np.errstate(divide="ignore"):
            extra = (gu - u @ (_mT(u) @ gu)) / sm @ vt if m > u.shape[-1] else 0.0
        out = out + extra
    if gvt is not None:
        gv = _mT(gvt)
        k = f * (_mT(v) @ gv - _mT(gv) @ v)
        inner = inner + s[..., :, None] * k
        if n > v.shape[-1]:
            out = out + (u / sm) @ _mT(gv - v @ (_mT(v) @ gv))
    return out + u @ inner @ vt


def qr_grad(gq, gr, q, r):
    """The adjoint of the reduced QR A = QR with m >= n: (gQ + Q copyltu(M)) R^-T with
    M = R gR^T - gQ^T Q, copyltu(M) the symmetric matrix from M's lower triangle."""
    m, n = q.shape[-2], r.shape[-1]
    if m < n:
        raise ValueError("s2sgrad: np.linalg.qr is differentiated for m >= n only")
    gq = np.zeros_like(q) if gq is None else gq
    gr = np.zeros_like(r) if gr is None else gr
    mm = r @ _mT(gr) - _mT(gq) @ q
    low = np.tril(mm, -1)
    sym = low + _mT(low)
    _diag(sym)[...] = _diag(mm)
    b = gq + q @ sym
    return _mT(np.linalg.solve(r, _mT(b)))  # b R^-T


def cofactor(a):
    """The cofactor matrix of a (of each matrix of a stack): C[i, j] = (-1)^(i+j) times the determinant
    of a without row i and column j, the derivative of det (Jacobi's formula).  det(a) inv(a)^T where
    inv is accurate (its residual a @ inv - I small), else from the SVD a = U S V^T, C = det(U) det(V)
    U diag(prod of the other singular values) V^T, which is exact at a singular matrix too (where det
    inv^T is 0 * inf: numpy raises, or gives an inaccurate inverse, there)."""
    a = np.asarray(a, dtype=np.result_type(a, 1.0))
    with np.errstate(all="ignore"):
        try:
            inv = np.linalg.inv(a)
            eye = np.eye(a.shape[-1])
            if np.all(np.isfinite(inv)) and np.max(np.abs(a @ inv - eye), initial=0.0) < 1e-10:
                return np.linalg.det(a)[..., None, None] * _mT(inv)
        except np.linalg.LinAlgError:
            pass
    u, s, vt, sign = _signed_svd(a)
    others = np.prod(np.where(np.eye(s.shape[-1], dtype=bool), 1.0, s[..., None, :]), axis=-1)  # j != i
    return sign[..., None, None] * ((u * others[..., None, :]) @ vt)


def _signed_svd(a):
    """(u, s, vt, det(u) det(vt)) of a = u diag(s) vt, a as floats."""
    u, s, vt = np.linalg.svd(np.asarray(a, dtype=np.result_type(a, 1.0)))
    return u, s, vt, np.linalg.det(u) * np.linalg.det(vt)


def _cofactor_parts(a):
    """(u, vt, sign, Q) of a = u diag(s) vt: sign = det(u) det(vt), Q[i, j] = prod of the singular
    values but the i-th and j-th (i != j), 0 on the diagonal."""
    u, s, vt, sign = _signed_svd(a)
    n = s.shape[-1]
    k = np.arange(n)
    left_out = (k[:, None, None] == k[None, None, :]) | (k[None, :, None] == k[None, None, :])
    q = np.prod(np.where(left_out, 1.0, s[..., None, None, :]), axis=-1)
    return u, vt, sign, np.where(np.eye(n, dtype=bool), 0.0, q)


def cofactor_jvp(a, da):
    """d cofactor(a) along da, exact at a singular a too: with a = U S V^T and F = U^T da V,
    dC = sign U K V^T where K[i, j] = -F[j, i] Q[i, j] (i != j) and K[i, i] = sum_m F[m, m] Q[i, m]
    (the cofactors of the diagonal S + F to first order)."""
    u, vt, sign, q = _cofactor_parts(a)
    f = _mT(u) @ da @ _mT(vt)
    k = -_mT(f) * q + _diag_embed(q @ _diag(f)[..., None])
    return sign[..., None, None] * (u @ k @ vt)


def cofactor_grad(g, a):
    """The adjoint of cofactor(a) (det's second derivative): the transpose of cofactor_jvp's map,
    exact at a singular a too: with D = U^T g V, Fbar = sign (-(D Q)^T + diag(Q diag(D)))."""
    u, vt, sign, q = _cofactor_parts(a)
    d = _mT(u) @ g @ _mT(vt)
    fbar = -_mT(d * q) + _diag_embed(q @ _diag(d)[..., None])
    return sign[..., None, None] * (u @ fbar @ vt)


def logdet(a):
    """log |det(a)| (of each matrix of a stack): np.linalg.slogdet(a)[1], a row of its own
    (rules/linalg.py) whose derivatives are written with inv, so it has second derivatives.  a is
    an array (rules/args_forms.py makes a list literal one first)."""
    if not isinstance(a, (np.ndarray, np.generic)):
        raise TypeError(f"logdet takes an array, not {type(a).__name__}")
    return np.linalg.slogdet(a)[1]


def logdet_sign(a):
    """The sign of det(a): np.linalg.slogdet(a)[0], piecewise constant."""
    return np.linalg.slogdet(a)[0]


def _diag_embed(col):
    """(..., n, 1) -> (..., n, n), the column on the diagonal."""
    return col * np.eye(col.shape[-2])


def cholesky_grad(g, l):
    """A = L L^T: S = L^-T Phi(L^T g) L^-1 (Phi: lower triangle, diagonal halved), onto the lower
    triangle numpy reads."""
    p = _mT(l) @ g
    phi = np.tril(p)
    _diag(phi)[...] *= 0.5
    linv_t_phi = np.linalg.solve(_mT(l), phi)
    s = _mT(np.linalg.solve(_mT(l), _mT(linv_t_phi)))
    return _onto_lower(s)


def pinv_grad(g, a, p):
    """d pinv: -P^T g P^T + (I - A P) g^T P P^T + P^T P g^T (I - P A) (P = pinv(A), constant rank)."""
    a = np.asarray(a)
    m, n = a.shape[-2:]
    pt = _mT(p)
    gt = _mT(g)
    return (-(pt @ g @ pt) + (np.eye(m) - a @ p) @ gt @ p @ pt + pt @ p @ gt @ (np.eye(n) - p @ a))


def solve_grad(g, a, b, x, which):
    """The adjoint of x = np.linalg.solve(a, b) for a (0) or b (1), whatever the ranks: b a vector
    (for every matrix of a stack) or a stack of matrices."""
    a, b, x, g = np.asarray(a), np.asarray(b), np.asarray(x), np.asarray(g)
    if b.ndim == 1:
        gb = np.linalg.solve(_mT(a), g[..., None])[..., 0]
        if which == 1:
            return np.sum(gb, axis=tuple(range(gb.ndim - 1))) if gb.ndim > 1 else gb
        return -(gb[..., :, None] * x[..., None, :])
    gb = np.linalg.solve(_mT(a), g)
    if which == 1:
        return gb
    return -(gb @ _mT(x))


def matrix_power_grad(g, a, n):
    """A^n: A gets sum_k (A^k)^T g (A^(n-1-k))^T (n < 0: through inv(A))."""
    a = np.asarray(a)
    if n < 0:
        b = np.linalg.inv(a)
        gb = matrix_power_grad(g, b, -n)
        return -(_mT(b) @ gb @ _mT(b))
    powers = [np.broadcast_to(np.eye(a.shape[-1]), a.shape)]
    for _ in range(n - 1):
        powers.append(powers[-1] @ a)
    out = np.zeros(a.shape, np.result_type(a, g))
    for k in range(n):
        out = out + _mT(powers[k]) @ g @ _mT(powers[n - 1 - k])
    return out


def _lstsq_pinv(a, rcond):
    """The pseudo-inverse np.linalg.lstsq's solution is made with: singular values at or below
    rcond times the largest are zero (rcond=None: numpy's eps * max(M, N))."""
    a = np.asarray(a)
    zero = np.finfo(np.float64).eps * max(a.shape)
    if rcond is not None and rcond > zero:
        s = np.linalg.svd(a, compute_uv=False)
        dropped = s[(s <= rcond * s[0]) & (s > zero * s[0])]
        if dropped.size:
            from .errors import ArgumentError
            raise ArgumentError(f"np.linalg.lstsq(..., rcond={rcond!r}) drops the singular value {dropped[0]:.3g} "
                                f"(the largest is {s[0]:.3g}), which is not zero: the derivative of such a "
                                "truncated solution has terms in the dropped values that s2sgrad does not compute "
                                "(it differentiates at constant rank, dropped values being zero); pass rcond=None, "
                                "or truncate explicitly with np.linalg.svd")
    return np.linalg.pinv(a, rtol=zero if rcond is None else rcond)  # (numpy keeps what rcond keeps, however small)


def lstsq_solution(a, b, rcond):
    return np.linalg.lstsq(a, b, rcond=rcond)[0]


def lstsq_residuals(a, b, rcond):
    return np.linalg.lstsq(a, b, rcond=rcond)[1]


def lstsq_rank(a, b, rcond):
    return np.linalg.lstsq(a, b, rcond=rcond)[2]


def _as_matrix(v):
    v = np.asarray(v)
    return v[:, None] if v.ndim == 1 else v


def lstsq_grad(g, a, b, x, rcond, which):
    """x = lstsq(A, b) = P b at constant rank: A gets -P^T g x^T + r (P P^T g)^T + P^T x g^T (I - P A),
    b gets P^T g (r = b - A x; b and g a vector or a matrix of right-hand sides)."""
    a = np.asarray(a)
    p = _lstsq_pinv(a, rcond)
    vec = np.ndim(b) == 1
    g2, x2, b2 = _as_matrix(g), _as_matrix(x), _as_matrix(b)
    if which == 1:
        gb = p.T @ g2
        return gb[:, 0] if vec else gb
    r = b2 - a @ x2
    pt_g = p.T @ g2
    out = -(pt_g @ x2.T) + r @ (p @ pt_g).T + (p.T @ x2) @ (g2.T - (g2.T @ p) @ a)
    return out.astype(np.result_type(a, g), copy=False)


def lstsq_jvp(a, b, x, da, db, rcond):
    """dx = -P dA x + P P^T dA^T r + (I - P A) dA^T P^T x + P db (None: a zero tangent)."""
    a = np.asarray(a)
    p = _lstsq_pinv(a, rcond)
    x2, b2 = _as_matrix(x), _as_matrix(b)
    out = np.zeros_like(x2)
    if da is not None:
        r = b2 - a @ x2
        dat = np.asarray(da).T
        out = out - p @ (da @ x2) + p @ (p.T @ (dat @ r)) + dat @ (p.T @ x2) - p @ (a @ (dat @ (p.T @ x2)))
    if db is not None:
        out = out + p @ _as_matrix(db)
    return out[:, 0] if np.ndim(x) == 1 else out


def lstsq_residuals_grad(g, a, b, rcond, which):
    """res = sum((b - A x)^2, axis=0), given only at full column rank with M > N (where A^T r = 0):
    b gets 2 r g, A gets -2 (r g) x^T; zeros where numpy gives no residuals."""
    a, b = np.asarray(a), np.asarray(b)
    x, res = np.linalg.lstsq(a, b, rcond=rcond)[:2]
    if res.size == 0:
        return np.zeros_like(a if which == 0 else b, dtype=np.result_type(a if which == 0 else b, g))
    r = _as_matrix(b) - a @ _as_matrix(x)
    rg = r * np.reshape(g, (1, -1))
    if which == 1:
        return 2 * (rg[:, 0] if b.ndim == 1 else rg)
    return -2 * (rg @ _as_matrix(x).T)


def lstsq_residuals_jvp(a, b, da, db, rcond):
    """d res = 2 sum(r (db - dA x), axis=0) where numpy gives residuals (an empty array else)."""
    a, b = np.asarray(a), np.asarray(b)
    x, res = np.linalg.lstsq(a, b, rcond=rcond)[:2]
    if res.size == 0:
        return np.zeros_like(res)
    r, x2 = _as_matrix(b) - a @ _as_matrix(x), _as_matrix(x)
    d = np.zeros_like(r)
    if db is not None:
        d = d + _as_matrix(db)
    if da is not None:
        d = d - da @ x2
    return 2 * np.sum(r * d, axis=0)


def multi_dot_checked(first, *rest):
    """The first array of np.linalg.multi_dot([first, *rest]) (three or more), after numpy's check of
    the ranks: the first and last one or two dimensions, the others two (LinAlgError otherwise, as
    numpy raises); the chain of np.dot after it is then numpy's value (rules/args.py)."""
    ranks = [np.ndim(a) for a in (first,) + rest]
    for i, r in enumerate(ranks):
        if r != 2 and not (r == 1 and i in (0, len(ranks) - 1)):
            raise np.linalg.LinAlgError(f"{r}-dimensional array given. Array must be two-dimensional")
    return np.asanyarray(first)  # (as numpy's multi_dot reads it)


NAMES = {f.__name__: f for f in (multi_dot_checked, lstsq_solution, lstsq_residuals, lstsq_rank, lstsq_grad, lstsq_jvp,
                                 lstsq_residuals_grad, lstsq_residuals_jvp, solve_grad, decompose, square_matrix, linalg_part, linalg_part_grad, svd_grad, qr_grad, cholesky_grad,
                                 pinv_grad, matrix_power_grad, cofactor, cofactor_grad, cofactor_jvp, logdet,
                                 logdet_sign)}
