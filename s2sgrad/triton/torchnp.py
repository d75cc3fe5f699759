"""`np` for host code on the Triton backend: the numpy functions generated code calls, on torch
tensors (and on plain Python numbers, through numpy itself).

Host code is the generated program with its tensor work moved into kernels; what remains
(control flow, records, indexing, the odd reduction or constructor) calls these.  New tensors are
made on `TorchNumpy.device` with numpy's default dtype (float64), as numpy would.
"""
from __future__ import annotations

import numpy as _np
import torch

from .torchmath import ElementwiseFunctions
from .torchshapes import ShapeFunctions
from .torchvalues import _DT, _any_t, _is_t, to_torch_dtype


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


def aligned_mask(m, c, zero_first):
    """s2sgrad.runtime.aligned_mask for host code: np.where's mask where it lines up with c, else
    the mask keeping all of c."""
    shape_m = tuple(m.shape) if _is_t(m) else _np.shape(m)
    shape_c = tuple(c.shape) if _is_t(c) else _np.shape(c)
    if shape_m == shape_c:
        return m
    return torch.tensor(not zero_first, device=c.device) if _is_t(c) else _np.bool_(not zero_first)


def _holds_tensor(data):
    return any(_is_t(x) or isinstance(x, (list, tuple)) and _holds_tensor(x) for x in data)


HOST_HELPERS = {"unbroadcast", "aligned_mask"}  # s2sgrad.runtime's names that host code may call (from this module)


class _AddAt:
    @staticmethod
    def at(g, idx, v):
        """np.add.at(g, idx, v) for any index numpy and torch read alike (ints, slices, Ellipsis,
        None, integer arrays, masks, mixed): the flat positions idx selects, each added to as often
        as it is named (`g[idx] += v` adds once where an integer array repeats a position)."""
        idx = idx if isinstance(idx, tuple) else (idx,)
        idx = tuple(i if isinstance(i, (slice, int)) or i is Ellipsis or i is None
                    else torch.as_tensor(i, device=g.device) for i in idx)
        pos = torch.arange(g.numel(), device=g.device).reshape(g.shape)[idx]
        vals = torch.as_tensor(v, dtype=g.dtype, device=g.device).expand(pos.shape)
        flat = g.view(-1) if g.is_contiguous() else g.contiguous().view(-1)
        flat.index_add_(0, pos.reshape(-1), vals.reshape(-1))
        if not g.is_contiguous():
            g.copy_(flat.view(g.shape))


class _Linalg:
    @staticmethod
    def norm(x, ord=None, axis=None, keepdims=False):
        if not _is_t(x):
            return _np.linalg.norm(x, ord=ord, axis=axis, keepdims=keepdims)
        if axis is None:
            return torch.linalg.vector_norm(x)
        return torch.linalg.vector_norm(x, dim=axis, keepdim=keepdims)


class _Random:
    """np.random for host code: numpy's global generator draws (the numpy backend's numbers under
    np.random.seed), a tensor argument read back first (a size, a loc or a scale), an array result
    made a tensor on the device."""

    def __init__(self, np_):
        self._np = np_

    def __getattr__(self, name):
        fn = getattr(_np.random, name)
        if not callable(fn) or isinstance(fn, type):  # (Generator, RandomState: not a draw)
            raise AttributeError(name)

        def draw(*args, **kwargs):
            args = [_host_value(a) for a in args]
            kwargs = {k: _host_value(v) for k, v in kwargs.items()}
            return self._np.tensor(fn(*args, **kwargs))
        return draw


def _host_value(v):
    if _is_t(v):
        return v.detach().cpu().numpy()
    if isinstance(v, (tuple, list)) and not isinstance(v, torch.Size):
        return type(v)(_host_value(x) for x in v) if not hasattr(v, "_fields") else v
    return v


class TorchNumpy(ElementwiseFunctions, ShapeFunctions):
    """The subset of numpy that generated host code uses: construction and reductions here, the
    elementwise and shape families in their mixins, anything else through `__getattr__`."""
    float64, float32, int64, newaxis, pi, inf = _np.float64, _np.float32, _np.int64, None, _np.pi, _np.inf
    add = _AddAt()
    linalg = _Linalg()

    def __init__(self, device="cpu"):
        self.device = device
        self.random = _Random(self)

    def __getattr__(self, name):
        fn = getattr(torch, name, None)
        npfn = getattr(_np, name, None)
        if fn is None and npfn is None:
            raise AttributeError(name)

        def call(*args, **kwargs):
            if _any_t(args) and fn is not None:
                return fn(*args, **kwargs)
            return self.tensor(npfn(*args, **kwargs))
        return call

    def tensor(self, r):
        """numpy's result as host code needs it: an array becomes a tensor on the device (a numpy
        array meeting a tensor raised 'unsupported operand' or numpy's 'Concatenation ...');
        numbers stay numbers."""
        numeric = isinstance(r, _np.ndarray) and r.dtype.kind in "biuf"  # (not np.zeros_like(None)'s objects)
        return torch.as_tensor(r, device=self.device) if numeric else r

    # -- construction
    def array(self, data, dtype=None):
        """A new array, as numpy's np.array always is: the front end lets later writes into it
        pass, so returning the tensor itself wrote into the caller's array (a review found it)."""
        if _is_t(data):
            return data.clone() if dtype is None else data.to(to_torch_dtype(dtype), copy=True)
        if isinstance(data, (list, tuple)) and _holds_tensor(data):  # numpy would make an object array
            out = torch.stack(self._tensors([self.array(x) if isinstance(x, (list, tuple)) else x for x in data]))
            return out if dtype is None else out.to(to_torch_dtype(dtype))
        return torch.as_tensor(_np.array(data, dtype=dtype), device=self.device)

    def asarray(self, data, dtype=None):
        """The array itself where it is one already (numpy's asarray; the front end treats it as a
        possible view), else a new one."""
        if _is_t(data):
            return data if dtype is None else data.to(to_torch_dtype(dtype))
        return self.array(data, dtype)

    def zeros(self, shape, dtype=_np.float64):
        return torch.zeros(shape, dtype=to_torch_dtype(dtype), device=self.device)

    def ones(self, shape, dtype=_np.float64):
        return torch.ones(shape, dtype=to_torch_dtype(dtype), device=self.device)

    def full(self, shape, value, dtype=None):
        """numpy's full: of the value's dtype unless one is given (np.full(3, 2) holds int64)."""
        shape = tuple(int(n) for n in shape) if isinstance(shape, (tuple, list, torch.Size)) else (int(shape),)
        if _is_t(value):
            return value.to(value.dtype if dtype is None else to_torch_dtype(dtype)).expand(shape).clone()
        return torch.as_tensor(_np.full(shape, value, dtype=dtype), device=self.device)

    def arange(self, *args, dtype=None):
        a = _np.arange(*[int(x) if _is_t(x) else x for x in args], dtype=dtype)
        return torch.as_tensor(a, device=self.device)

    def eye(self, n, m=None, k=0, dtype=_np.float64):
        return self.tensor(_np.eye(int(n), None if m is None else int(m), int(k), dtype=dtype))

    def linspace(self, a, b, num=50, endpoint=True, dtype=None):
        """numpy's own values (torch's linspace rounds differently in its last bits)."""
        if _is_t(a) or _is_t(b):
            a, b = (x.detach().cpu().numpy() if _is_t(x) else x for x in (a, b))
        return self.tensor(_np.linspace(a, b, int(num), endpoint=endpoint, dtype=dtype))

    # numpy makes an array (0-d for a number) where it is given a non-array: a tensor here, as host
    # code adds it to tensors (a numpy 0-d array + a tensor raised numpy's "Concatenation ...")
    def zeros_like(self, x, dtype=None):
        return torch.zeros_like(x, dtype=_dt(dtype)) if _is_t(x) else self.tensor(_np.zeros_like(x, dtype=dtype))

    def ones_like(self, x, dtype=None):
        return torch.ones_like(x, dtype=_dt(dtype)) if _is_t(x) else self.tensor(_np.ones_like(x, dtype=dtype))

    def empty_like(self, x, dtype=None):
        return torch.empty_like(x, dtype=_dt(dtype)) if _is_t(x) else self.tensor(_np.empty_like(x, dtype=dtype))

    def full_like(self, x, v, dtype=None):
        if not _is_t(x):
            x = self.tensor(_np.zeros_like(x, dtype=dtype))
            if not _is_t(x):
                return _np.full_like(x, v)
        dt = x.dtype if dtype is None else _dt(dtype)
        if _is_t(v):
            return v.to(dt).expand(x.shape).clone()
        return torch.full_like(x, v, dtype=dt)

    def gather_rows(self, x, rows, labels):
        """x[rows, labels] (rows: np.arange(M)), numpy's IndexError for a label outside [-N, N)
        raised as gather.LabelIndexError before torch indexes (one device read)."""
        if _is_t(x) and _is_t(labels) and not labels.dtype.is_floating_point and labels.dtype != torch.bool:
            N = x.shape[-1]
            if labels.numel() and bool(((labels < -N) | (labels >= N)).any()):
                from .gather import LabelIndexError
                raise LabelIndexError.out_of_bounds(N)
        return x[rows, labels]

    def copy(self, x):
        return x.clone() if _is_t(x) else _np.copy(x)

    # -- reductions (numpy spelling: axis, keepdims)
    def sum(self, x, axis=None, keepdims=False, dtype=None):
        if not _is_t(x):
            return _np.sum(x, axis=axis, keepdims=keepdims, dtype=dtype)
        return _reduce(x.sum, x, axis, keepdims, dtype)

    def mean(self, x, axis=None, keepdims=False, dtype=None):
        if not _is_t(x):
            return _np.mean(x, axis=axis, keepdims=keepdims, dtype=dtype)
        return _reduce(x.mean, x, axis, keepdims, dtype)

    def max(self, x, axis=None, keepdims=False):
        if not _is_t(x):
            return _np.max(x, axis=axis, keepdims=keepdims)
        return x.amax() if axis is None and not keepdims else x.amax(dim=_dims(axis, x), keepdim=keepdims)

    def min(self, x, axis=None, keepdims=False):
        if not _is_t(x):
            return _np.min(x, axis=axis, keepdims=keepdims)
        return x.amin() if axis is None and not keepdims else x.amin(dim=_dims(axis, x), keepdim=keepdims)

    amax, amin = max, min


def _dt(dtype):
    return None if dtype is None else to_torch_dtype(dtype)


def _reduce(method, x, axis, keepdims, dtype):
    """torch's x.sum / x.mean with numpy's axis, keepdims and dtype (a tie count:
    mask.sum(..., dtype=x.dtype))."""
    dt = None if dtype is None else to_torch_dtype(dtype)
    return method(dtype=dt) if axis is None and not keepdims else method(dim=_dims(axis, x), keepdim=keepdims, dtype=dt)


def _dims(axis, x):
    if axis is None:
        return tuple(range(x.ndim))
    return axis


# _DT is read from here (triton/__init__.py), as are to_torch_dtype and unbroadcast
__all__ = ["TorchNumpy", "unbroadcast", "aligned_mask", "to_torch_dtype", "HOST_HELPERS", "_DT"]
