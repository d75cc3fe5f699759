"""`np` for host code on the Triton backend: the numpy functions generated code calls, on torch
tensors (and on plain Python numbers, through numpy itself).

Host code is the generated program with its tensor work moved into kernels; what remains
(control flow, records, indexing, the odd reduction or constructor) calls these.  New tensors are
made on `TorchNumpy.device` with numpy's default dtype (float64), as numpy would.
"""
from __future__ import annotations

import numpy as _np
import torch

_DT = {_np.dtype(_np.float64): torch.float64, _np.dtype(_np.float32): torch.float32,
       _np.dtype(_np.int64): torch.int64, _np.dtype(_np.int32): torch.int32, _np.dtype(_np.bool_): torch.bool}


def to_torch_dtype(d):
    if isinstance(d, torch.dtype):
        return d
    return _DT[_np.dtype(d)]


def _is_t(x):
    return isinstance(x, torch.Tensor)


def _any_t(args):
    return any(_is_t(a) for a in args)


def unbroadcast(g, x):
    """s2sgrad.runtime.unbroadcast for host code: g with exactly x's shape (summed down where g was
    broadcast against x, spread out where g is a scalar standing for a full array), on tensors."""
    if not _is_t(x) and _np.shape(x) == ():
        return g.sum() if _is_t(g) else g
    shape = tuple(x.shape) if _is_t(x) else _np.shape(x)
    if not _is_t(g):
        g = torch.as_tensor(g, dtype=x.dtype if _is_t(x) else torch.float64, device=x.device if _is_t(x) else None)
    if tuple(g.shape) == shape:
        return g
    lead = g.ndim - len(shape)
    if lead > 0:
        g = g.sum(dim=tuple(range(lead)))
    axes = tuple(i for i, (a, b) in enumerate(zip(g.shape, shape)) if b == 1 and a != 1)
    if axes:
        g = g.sum(dim=axes, keepdim=True)
    if tuple(g.shape) != shape:
        g = g.expand(shape).clone()  # a fresh tensor: later code may update it in place
    return g


HOST_HELPERS = {"unbroadcast"}  # s2sgrad.runtime's names that host code may call (from this module)


class _AddAt:
    @staticmethod
    def at(g, idx, v):
        idx = idx if isinstance(idx, tuple) else (idx,)
        idx = tuple(torch.as_tensor(i, device=g.device) if not isinstance(i, (slice, int)) else i for i in idx)
        if any(_is_t(i) and i.dtype == torch.bool for i in idx):
            g[idx] += v  # a boolean mask selects each element at most once: a plain update is np.add.at
        elif all(_is_t(i) for i in idx):
            g.index_put_(idx, torch.as_tensor(v, dtype=g.dtype, device=g.device).expand(
                torch.broadcast_shapes(*[i.shape for i in idx])), accumulate=True)
        else:
            g[idx] += v


class _Linalg:
    @staticmethod
    def norm(x, ord=None, axis=None, keepdims=False):
        if not _is_t(x):
            return _np.linalg.norm(x, ord=ord, axis=axis, keepdims=keepdims)
        if axis is None:
            return torch.linalg.vector_norm(x)
        return torch.linalg.vector_norm(x, dim=axis, keepdim=keepdims)


def _binary(name):
    """numpy's `name(a, b)` on tensors through torch's function of that name (numbers made tensors)."""
    def call(self, a, b):
        return getattr(torch, name)(*_pair(a, b)) if _any_t((a, b)) else getattr(_np, name)(a, b)
    call.__name__ = name
    return call


class TorchNumpy:
    """The subset of numpy that generated host code uses."""
    float64, float32, int64, newaxis, pi, inf = _np.float64, _np.float32, _np.int64, None, _np.pi, _np.inf
    add = _AddAt()
    linalg = _Linalg()

    def __init__(self, device="cpu"):
        self.device = device

    def __getattr__(self, name):
        fn = getattr(torch, name, None)
        npfn = getattr(_np, name, None)
        if fn is None and npfn is None:
            raise AttributeError(name)

        def call(*args, **kwargs):
            if _any_t(args) and fn is not None:
                return fn(*args, **kwargs)
            return npfn(*args, **kwargs)
        return call

    # -- construction
    def array(self, data, dtype=None):
        a = _np.array(data, dtype=dtype)
        return torch.as_tensor(a, device=self.device)

    asarray = array

    def zeros(self, shape, dtype=_np.float64):
        return torch.zeros(shape, dtype=to_torch_dtype(dtype), device=self.device)

    def ones(self, shape, dtype=_np.float64):
        return torch.ones(shape, dtype=to_torch_dtype(dtype), device=self.device)

    def full(self, shape, value, dtype=_np.float64):
        return torch.full(shape if isinstance(shape, tuple) else (shape,), value, dtype=to_torch_dtype(dtype),
                          device=self.device)

    def arange(self, *args, dtype=None):
        a = _np.arange(*[int(x) if _is_t(x) else x for x in args], dtype=dtype)
        return torch.as_tensor(a, device=self.device)

    def eye(self, n, dtype=_np.float64):
        return torch.eye(int(n), dtype=to_torch_dtype(dtype), device=self.device)

    def linspace(self, a, b, n):
        return torch.linspace(a, b, int(n), dtype=torch.float64, device=self.device)

    def zeros_like(self, x):
        return torch.zeros_like(x) if _is_t(x) else _np.zeros_like(x)

    def ones_like(self, x):
        return torch.ones_like(x) if _is_t(x) else _np.ones_like(x)

    def empty_like(self, x):
        return torch.empty_like(x) if _is_t(x) else _np.empty_like(x)

    def full_like(self, x, v):
        if not _is_t(x):
            return _np.full_like(x, v)
        if _is_t(v):
            return v.to(x.dtype).expand(x.shape).clone()
        return torch.full_like(x, v)

    def copy(self, x):
        return x.clone() if _is_t(x) else _np.copy(x)

    # -- reductions (numpy spelling: axis, keepdims)
    def sum(self, x, axis=None, keepdims=False):
        if not _is_t(x):
            return _np.sum(x, axis=axis, keepdims=keepdims)
        return x.sum() if axis is None and not keepdims else x.sum(dim=_dims(axis, x), keepdim=keepdims)

    def mean(self, x, axis=None, keepdims=False):
        if not _is_t(x):
            return _np.mean(x, axis=axis, keepdims=keepdims)
        return x.mean() if axis is None and not keepdims else x.mean(dim=_dims(axis, x), keepdim=keepdims)

    def max(self, x, axis=None, keepdims=False):
        if not _is_t(x):
            return _np.max(x, axis=axis, keepdims=keepdims)
        return x.amax() if axis is None and not keepdims else x.amax(dim=_dims(axis, x), keepdim=keepdims)

    def min(self, x, axis=None, keepdims=False):
        if not _is_t(x):
            return _np.min(x, axis=axis, keepdims=keepdims)
        return x.amin() if axis is None and not keepdims else x.amin(dim=_dims(axis, x), keepdim=keepdims)

    amax, amin = max, min

    # -- elementwise with numpy's scalar rules
    def maximum(self, a, b):
        if not _any_t((a, b)):
            return _np.maximum(a, b)
        a, b = _pair(a, b)
        return torch.maximum(a, b)

    def minimum(self, a, b):
        if not _any_t((a, b)):
            return _np.minimum(a, b)
        a, b = _pair(a, b)
        return torch.minimum(a, b)

    def where(self, c, a, b):
        if not _any_t((c, a, b)):
            return _np.where(c, a, b)
        ref = next(x for x in (c, a, b) if _is_t(x))
        dt = next((x.dtype for x in (a, b) if _is_t(x)), torch.float64)
        a = a if _is_t(a) else torch.as_tensor(a, dtype=dt, device=ref.device)
        b = b if _is_t(b) else torch.as_tensor(b, dtype=dt, device=ref.device)
        return torch.where(torch.as_tensor(c, device=ref.device), a, b)

    def square(self, x):
        return x * x

    def power(self, x, p):
        return x ** p

    def reciprocal(self, x):
        return 1.0 / x

    def arctan(self, x):
        return torch.atan(x) if _is_t(x) else _np.arctan(x)

    def arcsin(self, x):
        return torch.asin(x) if _is_t(x) else _np.arcsin(x)

    def arccos(self, x):
        return torch.acos(x) if _is_t(x) else _np.arccos(x)

    def arctan2(self, y, x):
        return torch.atan2(*_pair(y, x)) if _any_t((y, x)) else _np.arctan2(y, x)

    def logaddexp(self, a, b):
        return torch.logaddexp(*_pair(a, b)) if _any_t((a, b)) else _np.logaddexp(a, b)

    # issue 11's elementwise rows (the ones a kernel does not compute stay here): torch's functions
    # where they match numpy's (fmax/fmin skip NaN like numpy, remainder takes the divisor's sign,
    # fmod the dividend's), and numpy's semantics written out where torch lacks the function or
    # differs (heaviside of NaN is NaN; nan_to_num has no copy argument in torch)
    hypot, logaddexp2, fmax, fmin = _binary("hypot"), _binary("logaddexp2"), _binary("fmax"), _binary("fmin")
    copysign, fmod, remainder = _binary("copysign"), _binary("fmod"), _binary("remainder")
    mod = remainder

    def isnan(self, x):  # a Python bool for a number: torch cannot combine a numpy bool with a tensor
        return torch.isnan(x) if _is_t(x) else _np.isnan(x) if _np.ndim(x) else bool(_np.isnan(x))

    def isfinite(self, x):
        return torch.isfinite(x) if _is_t(x) else _np.isfinite(x) if _np.ndim(x) else bool(_np.isfinite(x))

    def radians(self, x):
        return torch.deg2rad(x) if _is_t(x) else _np.radians(x)

    def degrees(self, x):
        return torch.rad2deg(x) if _is_t(x) else _np.degrees(x)

    def conjugate(self, x):
        return x if _is_t(x) and not x.is_complex() else _np.conjugate(x)

    def cbrt(self, x):
        if not _is_t(x):
            return _np.cbrt(x)
        r = torch.abs(x) ** (1.0 / 3.0)
        r = r - (r - torch.abs(x) / (r * r)) / 3.0  # one Newton step: pow's estimate to round-off
        r = torch.where((x == 0) | torch.isinf(x), torch.abs(x), r)
        return torch.where(x == 0, x, torch.copysign(r, x))

    def heaviside(self, x, h):
        if not _any_t((x, h)):
            return _np.heaviside(x, h)
        x, h = _pair(x, h)
        return torch.where(torch.isnan(x), x, torch.where(x == 0, h, (x > 0).to(x.dtype)))

    def nan_to_num(self, x, copy=True, nan=0.0, posinf=None, neginf=None):
        if not _is_t(x):
            return _np.nan_to_num(x, copy=copy, nan=nan, posinf=posinf, neginf=neginf)
        return torch.nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)

    def clip(self, x, lo, hi):
        return torch.clamp(x, lo, hi) if _is_t(x) else _np.clip(x, lo, hi)

    def floor_divide(self, a, b):
        return torch.floor_divide(a, b) if _any_t((a, b)) else _np.floor_divide(a, b)

    # -- shapes
    def shape(self, x):
        return tuple(x.shape) if _is_t(x) else _np.shape(x)

    def size(self, x):
        return x.numel() if _is_t(x) else _np.size(x)

    def ndim(self, x):
        return x.ndim if _is_t(x) else _np.ndim(x)

    def reshape(self, x, *shape):
        shape = shape[0] if len(shape) == 1 else shape
        return x.reshape(tuple(shape) if isinstance(shape, (tuple, list, torch.Size)) else (shape,))

    def ravel(self, x):
        return x.reshape(-1)

    flatten = ravel

    def transpose(self, x, axes=None, *more):
        if not _is_t(x):
            return _np.transpose(x, axes)
        if axes is None:
            return x.permute(*reversed(range(x.ndim))) if x.ndim != 2 else x.T
        if more:
            axes = (axes,) + more
        return x.permute(*axes)

    def swapaxes(self, x, a, b):
        return x.transpose(a, b)

    def expand_dims(self, x, axis):
        if not _is_t(x):
            return _np.expand_dims(x, axis)
        for a in sorted(axis if isinstance(axis, tuple) else (axis,)):
            x = x.unsqueeze(a)
        return x

    def squeeze(self, x, axis=None):
        return x.squeeze() if axis is None else x.squeeze(axis)

    def broadcast_to(self, x, shape):
        if _is_t(x):
            return x.expand(tuple(shape))
        return torch.as_tensor(x, device=self.device).expand(tuple(shape))

    def outer(self, a, b):
        return torch.outer(a.reshape(-1), b.reshape(-1))

    def dot(self, a, b):
        return a @ b

    matmul = dot

    def stack(self, xs, axis=0):
        return torch.stack(list(xs), dim=axis)

    def concatenate(self, xs, axis=0):
        return torch.cat(list(xs), dim=axis)

    def take(self, x, i, axis=0):
        return x.select(axis, i)

    def astype(self, x, dtype):
        return x.to(to_torch_dtype(dtype)) if _is_t(x) else _np.asarray(x).astype(dtype)

    def sign(self, x):
        return torch.sign(x) if _is_t(x) else _np.sign(x)


def _dims(axis, x):
    if axis is None:
        return tuple(range(x.ndim))
    return axis


def _pair(a, b):
    ref = a if _is_t(a) else b
    a = a if _is_t(a) else torch.as_tensor(a, dtype=ref.dtype, device=ref.device)
    b = b if _is_t(b) else torch.as_tensor(b, dtype=ref.dtype, device=ref.device)
    return a, b
