"""Host values between numpy and torch: the dtype map, whether a value is a tensor, and a number
paired with a tensor as a tensor of numpy's common dtype on the tensor's device (a Python number
takes the array's dtype where numpy's weak-scalar rule does).  Shared by torchnp.py and its families (torchmath.py, torchshapes.py).
"""
from __future__ import annotations

import numpy as _np
import torch

_DT = {_np.dtype(_np.float64): torch.float64, _np.dtype(_np.float32): torch.float32,
       _np.dtype(_np.int64): torch.int64, _np.dtype(_np.int32): torch.int32, _np.dtype(_np.bool_): torch.bool}


_NP_OF = {t: n for n, t in _DT.items()}


def promote(a, b):
    """numpy's common dtype of two torch dtypes (float32 with int64 is float64 in numpy, float32
    in torch); torch's rule for dtypes numpy has no twin of here."""
    if a in _NP_OF and b in _NP_OF:
        return _DT[_np.promote_types(_NP_OF[a], _NP_OF[b])]
    return torch.promote_types(a, b)


def to_torch_dtype(d):
    if isinstance(d, torch.dtype):
        return d
    return _DT[_np.dtype(d)]


def _is_t(x):
    return isinstance(x, torch.Tensor)


def _any_t(args):
    return any(_is_t(a) for a in args)


def _pair(a, b):
    """a and b as tensors of numpy's common dtype: a Python number takes the tensor's dtype where
    numpy's does (a float with a float32 array, an int with an int array) and promotes it otherwise
    (a float with an int array: float64; numpy would not compute mod(k, 2.5) as mod(k, 2))."""
    ref = a if _is_t(a) else b
    dt = ref.dtype
    for other in (a, b):
        dt = promote(dt, other.dtype) if _is_t(other) else _with_value(dt, other)
    a = a.to(dt) if _is_t(a) else torch.as_tensor(a, dtype=dt, device=ref.device)
    b = b.to(dt) if _is_t(b) else torch.as_tensor(b, dtype=dt, device=ref.device)
    return a, b


def _with_value(dt, value):
    """numpy's common dtype of a tensor's dtype and a value (a Python number: a weak one)."""
    if dt not in _NP_OF:
        return dt
    common = _np.result_type(_NP_OF[dt], value)
    return _DT.get(common) or torch.from_numpy(_np.empty(0, dtype=common)).dtype
