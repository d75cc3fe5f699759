"""numba versions of what the generated code calls and numba's nopython mode lacks.

Each is typed by numba (`numba.extending.overload`), so one name serves scalars and arrays the way
the numpy call it replaces does; a case not covered (an array rank, an axis) is a typing error that
module.py reports at the user's line, never a different result.  lower.py decides which calls are
replaced; the generated module imports the names it uses.
"""
from __future__ import annotations

import numpy as np
from numba import njit, types
from numba.extending import overload, register_jitable

from .cached import mat_mat, mat_vec, outer_of, vec_mat


def copy_of(x):  # pragma: no cover - replaced by the overload inside numba
    """`x.copy()` for an array, x itself for a scalar (a 0-d item is a float in numba)."""
    raise NotImplementedError


@overload(copy_of)
def _copy(x):
    if isinstance(x, types.Array):
        return lambda x: x.copy()
    return lambda x: x


def unbroadcast(g, x):  # pragma: no cover
    """runtime.unbroadcast for the cases numba can type: a scalar target (sum of g), or an array
    target of g's rank (up to 3: summed down and spread out along each axis as broadcasting
    requires; higher ranks: g's own shape only)."""
    raise NotImplementedError


@overload(unbroadcast)
def _unbroadcast(g, x):
    if not isinstance(x, types.Array):
        if isinstance(g, types.Array):
            return lambda g, x: np.sum(g)
        return lambda g, x: g
    if isinstance(g, types.Array) and g.ndim == x.ndim and x.ndim in _AXES_OF_RANK:
        return _AXES_OF_RANK[x.ndim]
    if isinstance(g, types.Array) and g.ndim == x.ndim:
        def same(g, x):
            if g.shape != x.shape:
                raise ValueError("unbroadcast: shapes differ (numba backend covers equal shapes only)")
            return g.copy()
        return same
    return None


@register_jitable
def _check(gn, xn):
    if gn != xn and gn != 1 and xn != 1:
        raise ValueError("unbroadcast: shapes do not broadcast")


def _unbroadcast_1(g, x):
    """g summed down along an axis where x has length 1, spread along one where g has (as
    runtime.unbroadcast does): each position of the broadcast shape adds g's element into x's."""
    out = np.zeros(x.shape, g.dtype)
    _check(g.shape[0], x.shape[0])
    for i in range(max(g.shape[0], x.shape[0])):
        out[min(i, x.shape[0] - 1)] += g[min(i, g.shape[0] - 1)]
    return out


def _unbroadcast_2(g, x):
    out = np.zeros(x.shape, g.dtype)
    _check(g.shape[0], x.shape[0])
    _check(g.shape[1], x.shape[1])
    for i in range(max(g.shape[0], x.shape[0])):
        for j in range(max(g.shape[1], x.shape[1])):
            out[min(i, x.shape[0] - 1), min(j, x.shape[1] - 1)] += g[min(i, g.shape[0] - 1), min(j, g.shape[1] - 1)]
    return out


def _unbroadcast_3(g, x):
    out = np.zeros(x.shape, g.dtype)
    for a in range(3):
        _check(g.shape[a], x.shape[a])
    for i in range(max(g.shape[0], x.shape[0])):
        for j in range(max(g.shape[1], x.shape[1])):
            for k in range(max(g.shape[2], x.shape[2])):
                out[min(i, x.shape[0] - 1), min(j, x.shape[1] - 1), min(k, x.shape[2] - 1)] += \
                    g[min(i, g.shape[0] - 1), min(j, g.shape[1] - 1), min(k, g.shape[2] - 1)]
    return out


# (min(i, n - 1) is i, or 0 along an axis of length 1: the index of a broadcast operand)
_AXES_OF_RANK = {1: _unbroadcast_1, 2: _unbroadcast_2, 3: _unbroadcast_3}


def max_along(x, axis):  # pragma: no cover
    """np.max(x, axis=axis) for a 2-D x (numba's np.max takes no axis)."""
    raise NotImplementedError


def min_along(x, axis):  # pragma: no cover
    raise NotImplementedError


def _reduce2d(better):
    def impl(x, axis):
        ax = axis + 2 if axis < 0 else axis
        if ax == 0:
            out = x[0].copy()
            for i in range(1, x.shape[0]):
                for j in range(x.shape[1]):
                    if better(x[i, j], out[j]):
                        out[j] = x[i, j]
            return out
        out = x[:, 0].copy()
        for i in range(x.shape[0]):
            for j in range(1, x.shape[1]):
                if better(x[i, j], out[i]):
                    out[i] = x[i, j]
        return out
    return impl


@njit
def _gt(a, b):
    return a > b or a != a  # numpy's max propagates NaN


@njit
def _lt(a, b):
    return a < b or a != a


@overload(max_along)
def _reduce_max(x, axis):
    if isinstance(x, types.Array) and x.ndim == 2:
        return _reduce2d(_gt)
    return None


@overload(min_along)
def _reduce_min(x, axis):
    if isinstance(x, types.Array) and x.ndim == 2:
        return _reduce2d(_lt)
    return None


def add_at(a, idx, v):  # pragma: no cover
    """np.add.at(a, idx, v) for an integer, a 1-D integer array into a's first axis, or a pair of
    them into a 2-D a (repeated indices add up)."""
    raise NotImplementedError


@overload(add_at)
def _add_at(a, idx, v):
    if not isinstance(a, types.Array):
        return None
    if isinstance(idx, types.Integer):  # one position: a plain update
        def one(a, idx, v):
            a[idx] += v
        return one
    if isinstance(idx, types.BaseTuple) and len(idx) == 2 and a.ndim == 2 and all(
            isinstance(t, types.Array) and t.ndim == 1 for t in idx):  # a[rows, cols] paired
        # (numpy broadcasts the two index arrays, and v against them: a length 1 repeats; numba does
        # not check bounds, so a length that broadcasts to neither is refused here, not read past)
        if isinstance(v, types.Array):
            def pairs(a, idx, v):
                n0, n1, nv = idx[0].shape[0], idx[1].shape[0], v.shape[0] if v.ndim else 1
                n = max(n0, n1)
                if (n0 != n and n0 != 1) or (n1 != n and n1 != 1) or (nv != n and nv != 1) or v.ndim > 1:
                    raise ValueError("shape mismatch: indexing arrays could not be broadcast together")
                for k in range(n):
                    a[idx[0][k if n0 > 1 else 0], idx[1][k if n1 > 1 else 0]] += v.flat[k if nv > 1 else 0]
            return pairs

        def pairs_scalar(a, idx, v):
            n0, n1 = idx[0].shape[0], idx[1].shape[0]
            n = max(n0, n1)
            if (n0 != n and n0 != 1) or (n1 != n and n1 != 1):
                raise ValueError("shape mismatch: indexing arrays could not be broadcast together")
            for k in range(n):
                a[idx[0][k if n0 > 1 else 0], idx[1][k if n1 > 1 else 0]] += v
        return pairs_scalar
    if not (isinstance(idx, types.Array) and idx.ndim == 1):
        return None
    if isinstance(v, types.Array) and v.ndim == a.ndim:  # one value (row) per index, or one for all
        def arr(a, idx, v):
            n, nv = idx.shape[0], v.shape[0]
            if nv != n and nv != 1:
                raise ValueError("shape mismatch: value array could not be broadcast to indexing result")
            for k in range(n):
                a[idx[k]] += v[k if nv > 1 else 0]
        return arr
    if isinstance(v, types.Array):  # (a row of a's shape: added at every index, as numpy broadcasts it)
        def arr_each(a, idx, v):
            for k in range(idx.shape[0]):
                a[idx[k]] += v
        return arr_each

    def scal(a, idx, v):
        for k in range(idx.shape[0]):
            a[idx[k]] += v
    return scal


def keepdims_all(v, x):  # pragma: no cover
    """A whole-array reduction `v` of `x` kept as an array of x's rank with every axis 1."""
    raise NotImplementedError


@overload(keepdims_all)
def _keepdims_all(v, x):
    shape = (1,) * (x.ndim if isinstance(x, types.Array) else 0)
    return lambda v, x: np.full(shape, v)


# numpy functions numba types for arrays only, given their scalar meaning (registered when this
# module is imported, before anything is compiled; numba's own implementations come first)
@overload(np.clip)
def _clip_scalar(a, lo, hi):
    if all(isinstance(t, (types.Number, types.Boolean)) for t in (a, lo, hi)):
        def impl(a, lo, hi):
            if a != a:  # NaN stays NaN, as in numpy
                return a
            return min(max(a, lo), hi)
        return impl
    return None


@overload(np.expand_dims)
def _expand_dims_scalar(a, axis):
    if isinstance(a, (types.Number, types.Boolean)):
        return lambda a, axis: np.full((1,), a)
    return None


@overload(np.sum)
def _sum_scalar(a):
    if isinstance(a, (types.Number, types.Boolean)):
        return lambda a: a
    return None


def np_outer(a, b):  # pragma: no cover
    """np.outer(a, b) as two plain loops: numba's np.outer multiplies through broadcasting
    (np.multiply of an (n, 1) and a (1, m) array), which takes seconds to compile."""
    raise NotImplementedError


@overload(np_outer)
def _outer(a, b):
    if isinstance(a, types.Array) and isinstance(b, types.Array) and a.ndim == 1 and b.ndim == 1:
        from numba.np.numpy_support import as_dtype
        dtype = np.promote_types(as_dtype(a.dtype), as_dtype(b.dtype))
        # the loops compiled once per dtype and kept in numba's disk cache (cached.py)
        if a.dtype == b.dtype:
            return lambda a, b: outer_of(a, b)
        return lambda a, b: outer_of(a.astype(dtype), b.astype(dtype))
    return lambda a, b: np.outer(a, b)


def norm_of(x):  # pragma: no cover
    """np.linalg.norm(x) with no other argument."""
    raise NotImplementedError


@njit(cache=True)
def _norm_1d(x):
    # numpy's norm of a vector is sqrt(x . x); numba's calls BLAS's nrm2, half a second to compile
    s = 0.0
    for i in range(x.size):
        s += x[i] * x[i]
    return np.sqrt(s)


@overload(norm_of)
def _norm(x):
    if isinstance(x, types.Array) and x.ndim == 1 and x.dtype == types.float64:  # (float32: numpy sums in float32)
        return lambda x: _norm_1d(x)  # compiled once per dtype, in numba's disk cache
    if isinstance(x, types.Array) and x.ndim == 2 and x.dtype == types.float64:  # Frobenius: sqrt(x . x) flattened
        return lambda x: _norm_1d(x.ravel())
    return lambda x: np.linalg.norm(x)


def mat_mul(a, b):  # pragma: no cover
    """a @ b: matrix-vector and vector-matrix products as loops (numba's `@` for them compiles in
    0.3-0.7 s per layout pair, the loops in about a tenth of that), matrix products through numba's
    BLAS call; each kept in numba's disk cache, so a program compiles only the call."""
    raise NotImplementedError


@overload(mat_mul)
def _mat_mul(a, b):
    if not (isinstance(a, types.Array) and isinstance(b, types.Array)):
        return None
    from numba.np.numpy_support import as_dtype, from_dtype
    if not all(isinstance(t.dtype, types.Float) for t in (a, b)):
        return lambda a, b: mat_mat(a, b)
    dtype = from_dtype(np.promote_types(as_dtype(a.dtype), as_dtype(b.dtype)))
    if a.dtype != b.dtype:  # numpy promotes (float32 @ float64 is float64); numba's `@` refuses
        return lambda a, b: mat_mul(a.astype(dtype), b.astype(dtype))
    if a.ndim == 2 and b.ndim == 1:
        return lambda a, b: mat_vec(a, b)
    if a.ndim == 1 and b.ndim == 2:
        return lambda a, b: vec_mat(a, b)
    return lambda a, b: mat_mat(a, b)


NAMES = ("copy_of", "unbroadcast", "max_along", "min_along", "add_at", "keepdims_all", "np_outer", "mat_mul", "norm_of")
