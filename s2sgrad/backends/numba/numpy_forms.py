"""numba forms of numpy (and math/scipy) calls that numba types differently or not at all, with
numpy's meaning: np.isclose of two matrices, np.full_like with an array value, scalar-type casts of
arrays, var/std along an axis (and runtime_grads.ddof_scale, their adjoints' 1 / (N - ddof)),
scipy's logsumexp, and the digamma function (math.lgamma's derivative) in the numpy backend's steps.  lower.py decides which calls are replaced; tests/test_numba.py
compares each with the numpy backend.
"""
from __future__ import annotations

import numpy as np
from numba import njit, types
from numba.extending import overload


def is_close(a, b, rtol, atol):  # pragma: no cover
    """np.isclose(a, b, rtol, atol) (equal_nan False): numba's own fails to broadcast two 2-D arrays."""
    raise NotImplementedError


@overload(is_close)
def _is_close(a, b, rtol, atol):
    # numpy's definition: |a - b| <= atol + rtol * |b| where b is finite, or a == b (infinities)
    return lambda a, b, rtol, atol: ((np.abs(a - b) <= atol + rtol * np.abs(b)) & np.isfinite(b)) | (a == b)


def full_like_of(x, v):  # pragma: no cover
    """np.full_like(x, v) where v may be an array broadcast to x's shape (numba's takes a number)."""
    raise NotImplementedError


@overload(full_like_of)
def _full_like_of(x, v):
    if not isinstance(x, types.Array):
        return None
    if isinstance(v, types.Array):
        dtype = x.dtype
        return lambda x, v: np.broadcast_to(v, x.shape).astype(dtype)
    return lambda x, v: np.full_like(x, v)


def cast_as(v, dtype):  # pragma: no cover
    """np.float64(v) and the other scalar types called on v: an array's astype, a number's cast."""
    raise NotImplementedError


@overload(cast_as)
def _cast_as(v, dtype):
    if isinstance(v, types.Array):
        return lambda v, dtype: v.astype(dtype)
    if isinstance(v, (types.Number, types.Boolean)):
        return lambda v, dtype: dtype(v)
    return None


def var_along(x, axis, ddof):  # pragma: no cover
    """np.var(x, axis=axis, ddof=ddof) of a 2-D x (numba's np.var takes neither keyword)."""
    raise NotImplementedError


@overload(var_along)
def _var_along(x, axis, ddof):
    if not (isinstance(x, types.Array) and x.ndim == 2 and isinstance(x.dtype, types.Float)):
        return None

    def impl(x, axis, ddof):
        ax = axis + 2 if axis < 0 else axis
        n = x.shape[ax]
        m = np.sum(x, axis=ax) / n  # numpy's two passes: the mean, then the squared deviations
        out = np.zeros_like(m)
        for i in range(x.shape[0]):
            for j in range(x.shape[1]):
                d = x[i, j] - (m[j] if ax == 0 else m[i])
                out[j if ax == 0 else i] += d * d
        return out / (n - ddof)
    return impl


def ddof_scale(k, n, ddof):  # pragma: no cover
    """runtime_grads.ddof_scale: k / (n - ddof), inf (NaN for k = 0) where n <= ddof."""
    raise NotImplementedError


@overload(ddof_scale)
def _ddof_scale(k, n, ddof):
    def impl(k, n, ddof):
        d = n - ddof
        if d > 0:
            return k / d
        if k == 0:
            return np.nan
        return np.inf if k > 0 else -np.inf
    return impl


@njit(cache=True)
def _digamma1(x):
    # runtime_grads.digamma's steps for one number, in its order (the same float operations)
    refl = x < 0.5
    y = 1.0 - x if refl else x
    acc = 0.0
    while y < 10.0:
        acc = acc - 1.0 / y
        y = y + 1.0
    inv2 = 1.0 / (y * y)
    series = np.log(y) - 0.5 / y - inv2 * (1 / 12 - inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (1 / 240 - inv2 / 132))))
    out = acc + series
    if refl:
        out = out - np.pi / np.tan(np.pi * x)
    return out


def digamma(x):  # pragma: no cover
    """runtime_grads.digamma (math.lgamma's derivative) for a number or a float64 array."""
    raise NotImplementedError


@overload(digamma)
def _digamma(x):
    if isinstance(x, (types.Float, types.Integer)):
        return lambda x: _digamma1(float(x))
    if isinstance(x, types.Array):
        def arr(x):
            out = np.empty(x.shape, np.float64)
            flat, src = out.reshape(-1), np.ascontiguousarray(x).reshape(-1)  # (x may be a view)
            for i in range(src.size):
                flat[i] = _digamma1(float(src[i]))
            return out
        return arr
    return None


def logsumexp_all(a):  # pragma: no cover
    """scipy.special.logsumexp(a) over the whole array (numba has no scipy.special)."""
    raise NotImplementedError


@overload(logsumexp_all)
def _logsumexp_all(a):
    if not (isinstance(a, types.Array) and isinstance(a.dtype, types.Float)):
        return None

    def impl(a):
        m = np.max(a)
        if not np.isfinite(m):  # scipy's shift: none for an infinite or NaN max (inf stays inf, NaN NaN)
            m = 0.0 * m if m != m else 0.0
        return m + np.log(np.sum(np.exp(a - m)))
    return impl


def logsumexp_along(a, axis):  # pragma: no cover
    """scipy.special.logsumexp(a, axis) of a 2-D array."""
    raise NotImplementedError


@overload(logsumexp_along)
def _logsumexp_along(a, axis):
    if not (isinstance(a, types.Array) and a.ndim == 2 and isinstance(a.dtype, types.Float)):
        return None

    def impl(a, axis):
        ax = axis + 2 if axis < 0 else axis
        b = a.T if ax == 0 else a  # rows along the reduced axis
        out = np.empty(b.shape[0], a.dtype)
        for i in range(b.shape[0]):
            out[i] = logsumexp_all(b[i])
        return out
    return impl


def flip_of(x, axis):  # pragma: no cover
    """np.flip(x, axis) (axis None: every axis) up to three dimensions, as a copy."""
    raise NotImplementedError


@overload(flip_of)
def _flip_of(x, axis):
    if not isinstance(x, types.Array) or x.ndim > 3:
        return None
    whole = isinstance(axis, (types.NoneType, types.Omitted)) or axis is None
    if x.ndim == 1:
        return lambda x, axis: x[::-1].copy()
    if x.ndim == 2:
        if whole:
            return lambda x, axis: x[::-1, ::-1].copy()

        def flip2(x, axis):
            ax = axis + 2 if axis < 0 else axis
            return x[::-1, :].copy() if ax == 0 else x[:, ::-1].copy()
        return flip2
    if whole:
        return lambda x, axis: x[::-1, ::-1, ::-1].copy()

    def flip3(x, axis):
        ax = axis + 3 if axis < 0 else axis
        if ax == 0:
            return x[::-1, :, :].copy()
        if ax == 1:
            return x[:, ::-1, :].copy()
        return x[:, :, ::-1].copy()
    return flip3


def cumsum_along(x, axis):  # pragma: no cover
    """np.cumsum(x, axis) of a 2-D x (numba's takes no axis)."""
    raise NotImplementedError


@overload(cumsum_along)
def _cumsum_along(x, axis):
    if not (isinstance(x, types.Array) and x.ndim == 2):
        return None

    def impl(x, axis):
        ax = axis + 2 if axis < 0 else axis
        out = x.copy()  # C order, x's dtype (numpy's result for floats); each branch runs along its rows
        if ax == 0:
            for i in range(1, x.shape[0]):
                for j in range(x.shape[1]):
                    out[i, j] += out[i - 1, j]
        else:
            for i in range(x.shape[0]):
                for j in range(1, x.shape[1]):
                    out[i, j] += out[i, j - 1]
        return out
    return impl


def inner_of(a, b):  # pragma: no cover
    """np.inner of vectors and matrices (the last axes contracted)."""
    raise NotImplementedError


@overload(inner_of)
def _inner_of(a, b):
    from .helpers import mat_mul
    if not (isinstance(a, types.Array) and isinstance(b, types.Array)) or a.ndim > 2 or b.ndim > 2:
        return None
    if a.ndim == 1 and b.ndim == 1:
        return lambda a, b: np.dot(a, b)
    if b.ndim == 1:
        return lambda a, b: mat_mul(a, b)
    if a.ndim == 1:
        return lambda a, b: mat_mul(b, a)
    return lambda a, b: mat_mul(a, b.T)


def roll_along(x, shift, axis):  # pragma: no cover
    """np.roll(x, shift, axis) with one integer shift and axis (numba's takes no axis)."""
    raise NotImplementedError


@overload(roll_along)
def _roll_along(x, shift, axis):
    if not (isinstance(x, types.Array) and x.ndim in (1, 2) and isinstance(shift, types.Integer)
            and isinstance(axis, types.Integer)):
        return None
    # explicit loops: numba's np.swapaxes views and slice assignments take seconds to compile
    if x.ndim == 1:
        def roll1(x, shift, axis):
            n = x.shape[0]
            out = np.empty_like(x)
            for i in range(n):
                out[(i + shift) % n] = x[i]
            return out
        return roll1

    def roll2(x, shift, axis):
        ax = axis + 2 if axis < 0 else axis
        out = np.empty_like(x)
        rows, cols = x.shape
        for i in range(rows):
            for j in range(cols):
                if ax == 0:
                    out[(i + shift) % rows, j] = x[i, j]
                else:
                    out[i, (j + shift) % cols] = x[i, j]
        return out
    return roll2


def nansum_along(x, axis):  # pragma: no cover
    """np.nansum(x, axis) of a 2-D float array."""
    raise NotImplementedError


def nanmean_along(x, axis):  # pragma: no cover
    """np.nanmean(x, axis) of a 2-D float array (an all-NaN slice gives NaN, as numpy's)."""
    raise NotImplementedError


def _nan_reduce(mean):
    def impl(x, axis):
        ax = axis + 2 if axis < 0 else axis
        b = x.T if ax == 0 else x  # rows along the reduced axis
        out = np.zeros(b.shape[0], x.dtype)
        for i in range(b.shape[0]):
            count = 0
            for j in range(b.shape[1]):
                v = b[i, j]
                if v == v:
                    out[i] += v
                    count += 1
            if mean:
                out[i] = out[i] / count if count else np.nan
        return out
    return impl


@overload(nansum_along)
def _nansum_along(x, axis):
    if isinstance(x, types.Array) and x.ndim == 2 and isinstance(x.dtype, types.Float):
        return _nan_reduce(False)
    return None


@overload(nanmean_along)
def _nanmean_along(x, axis):
    if isinstance(x, types.Array) and x.ndim == 2 and isinstance(x.dtype, types.Float):
        return _nan_reduce(True)
    return None


def rows_of(a):  # pragma: no cover
    """a as a 2-D block of rows for np.vstack: a vector is one row, a number one element."""
    raise NotImplementedError


def columns_of(a):  # pragma: no cover
    """a as a 2-D block of columns for np.column_stack: a vector is one column."""
    raise NotImplementedError


@overload(rows_of)
def _rows_of(a):
    if isinstance(a, types.Array) and a.ndim == 2:
        return lambda a: a
    if isinstance(a, types.Array) and a.ndim == 1:
        return lambda a: np.ascontiguousarray(a).reshape((1, a.shape[0]))
    if isinstance(a, (types.Number, types.Boolean)):
        return lambda a: np.full((1, 1), a)
    return None


@overload(columns_of)
def _columns_of(a):
    if isinstance(a, types.Array) and a.ndim == 2:
        return lambda a: a
    if isinstance(a, types.Array) and a.ndim == 1:
        return lambda a: np.ascontiguousarray(a).reshape((a.shape[0], 1))
    return None


def array_of(x):  # pragma: no cover
    """np.array(x) of an array: a copy (numba's np.array takes only literals and sequences)."""
    raise NotImplementedError


@overload(array_of)
def _array_of(x):
    if isinstance(x, types.Array):
        return lambda x: x.copy()
    return None


def diff_along(x, axis, prepend, append):  # pragma: no cover
    """np.diff(x, n=1, axis=axis, prepend=..., append=...) of a 1-D or 2-D float x, the prepended and
    appended values numbers or None (numba's np.diff takes no axis and neither keyword)."""
    raise NotImplementedError


@overload(diff_along)
def _diff_along(x, axis, prepend, append):
    if not (isinstance(x, types.Array) and x.ndim in (1, 2) and isinstance(x.dtype, types.Float)):
        return None
    edges = []
    for t in (prepend, append):
        if isinstance(t, (types.NoneType, types.Omitted)) or t is None:
            edges.append(False)
        elif isinstance(t, (types.Number, types.Boolean)):
            edges.append(True)
        else:
            return None
    pre, app = edges
    # explicit loops: numba's slice assignments take seconds to compile (their shape-error path)
    if x.ndim == 1:
        def diff1(x, axis, prepend, append):
            m = x.shape[0]
            out = np.empty(m + pre + app - 1, x.dtype)
            for k in range(out.shape[0]):  # element k of the extended row minus element k - 1
                j = k + 1 - pre
                hi = x[j] if j < m else x.dtype.type(append) if app else x[j]
                lo = x[j - 1] if j >= 1 else x.dtype.type(prepend) if pre else x[j - 1]
                out[k] = hi - lo
            return out
        return diff1

    def diff2(x, axis, prepend, append):
        ax = axis + 2 if axis < 0 else axis
        rows, cols = x.shape
        m = x.shape[ax]
        out = np.empty((m + pre + app - 1, cols) if ax == 0 else (rows, m + pre + app - 1), x.dtype)
        for r in range(out.shape[1 - ax]):
            for k in range(out.shape[ax]):
                j = k + 1 - pre
                if ax == 0:
                    hi = x[j, r] if j < m else x.dtype.type(append) if app else x[j, r]
                    lo = x[j - 1, r] if j >= 1 else x.dtype.type(prepend) if pre else x[j - 1, r]
                    out[k, r] = hi - lo
                else:
                    hi = x[r, j] if j < m else x.dtype.type(append) if app else x[r, j]
                    lo = x[r, j - 1] if j >= 1 else x.dtype.type(prepend) if pre else x[r, j - 1]
                    out[r, k] = hi - lo
        return out
    return diff2


NAMES = ("is_close", "full_like_of", "cast_as", "var_along", "logsumexp_all", "logsumexp_along", "digamma", "flip_of",
         "cumsum_along", "inner_of", "ddof_scale", "roll_along", "nansum_along", "nanmean_along",
         "rows_of", "columns_of", "array_of", "diff_along")
