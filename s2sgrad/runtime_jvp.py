"""Tangent helpers the generated forward-mode code calls for rows whose JVP is more than a few
readable lines (rules/reductions.py, rules/shape.py, rules/linalg.py say what each row guarantees):
exact cumulative products at zeros, quantiles, the permutation np.partition applied, integer
matrix powers, and the decompositions with several results (eigh, svd, qr, slogdet).

Guarantee: each returns the exact Jacobian-vector product of the numpy function its row names, in
the result's own shape, with the same subgradient the row's reverse rule (runtime_grads.py,
runtime_linalg.py) gives where the derivative is undefined, so forward and reverse mode agree
(`<J v, w> == <v, J^T w>`).  Registered in the generated code's namespace on import.
"""
from __future__ import annotations

import numpy as np

from .runtime import NAMESPACE
from .runtime_linalg import _diag, _gaps, _mT, _unpack


def cumprod_jvp(dx, x, ans, axis):
    """d ans_j = sum_{i <= j} dx_i prod_{k <= j, k != i} x_k: ans * cumsum(dx / x) where x has no
    zero, else those products themselves (n x n per row)."""
    x, dx = np.asarray(x), np.broadcast_to(dx, np.shape(x))
    if axis is None:
        x, dx, axis = x.ravel(), dx.ravel(), 0
    if not np.any(x == 0):
        return ans * np.cumsum(dx / x, axis)
    xm, dm = np.moveaxis(x, axis, -1), np.moveaxis(dx, axis, -1)
    n = xm.shape[-1]
    m = np.repeat(xm[..., None, :], n, axis=-2)  # m[..., i, k] = x_k, except 1 at k == i
    m[..., np.arange(n), np.arange(n)] = 1.0
    prods = np.cumprod(m, -1) * np.triu(np.ones((n, n)))  # [i, j]: d ans_j / d x_i
    return np.moveaxis(np.sum(prods * dm[..., :, None], -2), -1, axis)


def quantile_jvp(dx, x, q, dq, axis, scale, ans):
    """np.quantile's default (linear) method: the two sorted neighbours of position (n - 1) q
    mix their tangents with weights 1 - frac and frac (ties: the element a stable argsort puts
    there, as runtime_grads.quantile_grad); q's tangent moves the position: dq (x_hi - x_lo)
    (n - 1) / scale.  The result has q's axes first, then the others (keepdims: ans's shape)."""
    x = np.asarray(x, dtype=float)
    dx = np.broadcast_to(np.asarray(dx, dtype=float), x.shape)
    q = np.asarray(q, dtype=float) / scale
    if axis is None:
        xm, dm = x.reshape(-1), dx.reshape(-1)
    elif isinstance(axis, int):
        xm, dm = np.moveaxis(x, axis, -1), np.moveaxis(dx, axis, -1)
    else:
        raise ValueError("s2sgrad: a quantile over several axes is not differentiated (reshape first)")
    n = xm.shape[-1]
    order = np.argsort(xm, axis=-1, kind="stable")
    pos = q.reshape(-1) * (n - 1)
    lo = np.floor(pos).astype(int)
    hi = np.minimum(lo + 1, n - 1)
    frac = pos - lo
    ds = np.take_along_axis(dm, order, -1)
    out = ds[..., lo] * (1.0 - frac) + ds[..., hi] * frac  # (..., Q)
    if dq is not None:
        xs = np.take_along_axis(xm, order, -1)
        out = out + (xs[..., hi] - xs[..., lo]) * ((n - 1) / scale) * np.reshape(dq, -1)
    out = np.moveaxis(out, -1, 0)
    return out.reshape(np.shape(ans)).astype(np.result_type(ans, float), copy=False)


def permutation_jvp(dx, x, ans, axis):
    """ans is a permutation of x along `axis` (np.partition): matching the stably sorted values of
    both says where each value of ans came from (as runtime_grads.permutation_grad); its tangent
    comes from the same place."""
    x, ans = np.asarray(x), np.asarray(ans)
    dx = np.broadcast_to(dx, x.shape)
    if axis is None:
        x, dx, axis = x.ravel(), dx.ravel(), 0
    ox = np.argsort(x, axis=axis, kind="stable")
    oa = np.argsort(ans, axis=axis, kind="stable")
    out = np.empty(ans.shape, np.result_type(dx, float))
    np.put_along_axis(out, oa, np.take_along_axis(dx, ox, axis), axis)
    return out


def matrix_power_jvp(a, da, n):
    """d(A^n) = sum_k A^k dA A^(n-1-k); n < 0: B = inv(A), dB = -B dA B, then d(B^-n)."""
    a, da = np.asarray(a), np.asarray(da)
    if n < 0:
        b = np.linalg.inv(a)
        return matrix_power_jvp(b, -(b @ da @ b), -n)
    if n == 0:
        return np.zeros(np.broadcast_shapes(a.shape, da.shape), np.result_type(a, da, float))
    powers = [np.broadcast_to(np.eye(a.shape[-1]), a.shape)]
    for _ in range(n - 1):
        powers.append(powers[-1] @ a)
    out = 0.0
    for k in range(n):
        out = out + powers[k] @ da @ powers[n - 1 - k]
    return out


def _lower_sym(da):
    """The tangent of the symmetric matrix numpy's eigh and cholesky read (A's lower triangle)."""
    return np.tril(da) + _mT(np.tril(da, -1))


def _eigh_jvp(w, v, da):
    """A = V diag(w) V^T: P = V^T dA V, dw = diag(P), dV = V (F * P), F[i, j] = 1 / (w_j - w_i)
    (repeated eigenvalues give inf/NaN, as in the reverse rule: the vectors' derivative does not
    exist there)."""
    p = _mT(v) @ _lower_sym(da) @ v
    return [_diag(p).copy(), v @ (_gaps(w, 'np.linalg.eigh', 4) * p)]


def _svd_jvp(u, s, vt, a, da):
    """Thin A = U diag(s) V^T: with dP = U^T dA V and F[i, j] = 1 / (s_j^2 - s_i^2), ds = diag(dP),
    dU = U (F * (dP S + S dP^T)) + (I - U U^T) dA V / s, dV = V (F * (S dP + dP^T S)) +
    (I - V V^T) dA^T U / s (the second terms only for rectangular A)."""
    m, n = np.shape(a)[-2:]
    if u.shape[-1] != min(m, n) or vt.shape[-2] != min(m, n):
        raise ValueError("s2sgrad: np.linalg.svd is differentiated with full_matrices=False only")
    v = _mT(vt)
    dp = _mT(u) @ da @ v
    f = _gaps(s * s, 'np.linalg.svd', 4)
    dps = dp * s[..., None, :]     # dP S
    sdp = s[..., :, None] * dp     # S dP
    du = u @ (f * (dps + _mT(dps)))
    dv = v @ (f * (sdp + _mT(sdp)))
    with np.errstate(divide="ignore", invalid="ignore"):
        if m > u.shape[-1]:
            dav = da @ v
            du = du + (dav - u @ (_mT(u) @ dav)) / s[..., None, :]
        if n > v.shape[-1]:
            dau = _mT(da) @ u
            dv = dv + (dau - v @ (_mT(v) @ dau)) / s[..., None, :]
    return [du, _diag(dp).copy(), _mT(dv)]


def _qr_jvp(q, r, da):
    """Reduced A = QR, m >= n: X = Q^T dA R^-1, Omega = tril(X, -1) - tril(X, -1)^T (Q^T dQ, skew),
    dR = (X - Omega) R (upper triangular), dQ = dA R^-1 - Q (X - Omega)."""
    m, n = q.shape[-2], r.shape[-1]
    if m < n:
        raise ValueError("s2sgrad: np.linalg.qr is differentiated for m >= n only")
    da_rinv = _mT(np.linalg.solve(_mT(r), _mT(da)))  # dA R^-1
    x = _mT(q) @ da_rinv
    low = np.tril(x, -1)
    upper = x - (low - _mT(low))
    return [da_rinv - q @ upper, upper @ r]


def decompose_jvp(pack, a, da, kind):
    """The tangents of all the results of `decompose(a, kind)` (runtime_linalg.decompose), packed
    side by side the same way, so `linalg_part` reads result i's tangent out of them."""
    res = _unpack(pack, np.shape(a), kind)
    a, da = np.asarray(a), np.asarray(da)
    if kind == "eigh":
        parts = _eigh_jvp(res[0], res[1], da)
    elif kind == "svd":
        parts = _svd_jvp(*res, a, da)
    elif kind == "qr":
        parts = _qr_jvp(*res, da)
    elif kind == "slogdet":  # the sign is piecewise constant; d log|det A| = tr(A^-1 dA)
        dlog = np.trace(np.linalg.solve(a, da), axis1=-2, axis2=-1)
        parts = [np.zeros_like(dlog), dlog]
    else:
        raise ValueError(kind)
    batch = a.shape[:-2]
    return np.concatenate([np.reshape(p, batch + (-1,)) for p in parts], axis=-1)


NAMES = {f.__name__: f for f in (cumprod_jvp, quantile_jvp, permutation_jvp, matrix_power_jvp, decompose_jvp)}
NAMESPACE.update(NAMES)
