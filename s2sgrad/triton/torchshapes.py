"""numpy's shape and layout functions for host code on torch tensors: a mixin of
torchnp.TorchNumpy (which holds `device`, where broadcast_to puts a number it makes an array).

A tensor goes through torch's own operation of the same meaning (reshape, permute, expand,
unsqueeze, stack, cat, select); numpy's function serves the non-tensors that shape, size, ndim,
transpose, expand_dims and astype may be given, so a Python number stays a number.
"""
from __future__ import annotations

import numpy as _np
import torch

from .steps import positive_index
from .torchvalues import _is_t, promote, to_torch_dtype


def _square(x):
    """numpy's tril/triu of a vector v: of the (n, n) matrix whose rows are v."""
    return x.unsqueeze(0).expand(x.shape[0], x.shape[0]) if x.ndim == 1 else x


def _sequence_index(x, index):
    """steps.py writes every index as a tuple: a range, list or tuple (reversed(range(n)) is
    range(n)[::-1]) takes its one slice alone."""
    if isinstance(x, (range, list, tuple)) and isinstance(index, tuple) and len(index) == 1:
        return index[0]
    return index


class ShapeFunctions:
    """shape, reshape, transpose, stacking, products' spellings, astype: as host code calls them."""

    def shape(self, x):
        return tuple(x.shape) if _is_t(x) else _np.shape(x)

    def size(self, x):
        return x.numel() if _is_t(x) else _np.size(x)

    def ndim(self, x):
        return x.ndim if _is_t(x) else _np.ndim(x)

    def reshape(self, x, *shape):
        shape = shape[0] if len(shape) == 1 else shape
        x = x if _is_t(x) else torch.as_tensor(_np.asarray(x), device=self.device)  # a number: an array
        return x.reshape(tuple(shape) if isinstance(shape, (tuple, list, torch.Size)) else (shape,))

    def ravel(self, x):
        return self.reshape(x, -1)

    def flatten(self, x):  # numpy's flatten copies (ravel may be a view, and the front end knows it)
        return self.reshape(x, -1).clone()

    def transpose(self, x, axes=None, *more):
        if not _is_t(x):
            return self.tensor(_np.transpose(x, axes))
        if axes is None:
            if x.ndim < 2:  # a 0-d or 1-D array is its own transpose
                return x
            return x.permute(*reversed(range(x.ndim))) if x.ndim != 2 else x.T
        if more:
            axes = (axes,) + more
        return x.permute(*axes)

    def swapaxes(self, x, a, b):
        return x.transpose(a, b)

    def expand_dims(self, x, axis):
        if not _is_t(x):
            return self.tensor(_np.expand_dims(x, axis))
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
        a, b = self._tensors([a, b])  # a number is a 0-d array to numpy's outer: (n, 1)
        return torch.outer(a.reshape(-1), b.reshape(-1))

    def dot(self, a, b):
        if not (_is_t(a) and _is_t(b)) or a.ndim == 0 or b.ndim == 0:  # with a number: a product
            return a * b
        a, b = self._tensors([a, b])  # numpy's common dtype: torch's products take one dtype
        return a @ b

    matmul = dot

    def stack(self, xs, axis=0):
        return torch.stack(self._tensors(xs), dim=axis)

    def concatenate(self, xs, axis=0):
        return torch.cat(self._tensors(xs), dim=axis)

    def _tensors(self, xs):
        """The items of a stack as tensors of numpy's common dtype.  numpy makes each item an array
        first, so a Python float (a host scalar) counts as float64 and an int as int64, as in
        np.stack([np.float32(1), 2.0]), which is float64."""
        xs = list(xs)
        dts = [x.dtype if _is_t(x) else to_torch_dtype(_np.asarray(x).dtype) for x in xs]
        dt = dts[0]
        for d in dts[1:]:
            dt = promote(dt, d)
        dev = next((x.device for x in xs if _is_t(x)), self.device)
        return [x.to(dt) if _is_t(x) else torch.as_tensor(x, dtype=dt, device=dev) for x in xs]

    def tril(self, x, k=0):
        return torch.tril(_square(x), diagonal=k) if _is_t(x) else _np.tril(x, k)

    def triu(self, x, k=0):
        return torch.triu(_square(x), diagonal=k) if _is_t(x) else _np.triu(x, k)

    def argsort(self, x, axis=-1, kind=None):
        """A stable order (ties keep their positions, as numpy's sort of small arrays and its
        kind='stable' do); torch's default is not stable."""
        if not _is_t(x):
            return _np.argsort(x, axis=axis, kind=kind)
        if axis is None:
            x, axis = x.reshape(-1), 0
        return torch.argsort(x, dim=axis, stable=True)

    def take(self, x, i, axis=0):
        return x.select(axis, i)

    def getitem(self, x, index):
        """x[index] with slices of any step (steps.py): torch's positive slice of the same elements,
        flipped."""
        if not _is_t(x):
            return x[_sequence_index(x, index)]
        pos, flips = positive_index(index, tuple(x.shape))
        y = x[pos]
        return torch.flip(y, flips) if flips else y

    def setitem(self, x, index, v, aug=None):
        """x[index] = v (x[index] += v where aug is "add") with slices of any step (steps.py)."""
        if not _is_t(x):
            index = _sequence_index(x, index)
            if aug:
                x[index] += v
            else:
                x[index] = v
            return
        pos, flips = positive_index(index, tuple(x.shape))
        if not _is_t(v) and _np.ndim(v):
            v = torch.as_tensor(_np.asarray(v), device=x.device)
        if _is_t(v) and flips:
            lead = x[pos].ndim - v.ndim  # v broadcasts from the right
            dims = [d - lead for d in flips if d >= lead and v.shape[d - lead] != 1]
            v = torch.flip(v, dims) if dims else v
        if aug:
            x[pos] += v
        else:
            x[pos] = v

    def astype(self, x, dtype):  # a copy, as numpy's astype makes by default (also to the same dtype)
        return x.to(to_torch_dtype(dtype), copy=True) if _is_t(x) else _np.asarray(x).astype(dtype)
