"""Host values between numpy and torch: the dtype map, whether a value is a tensor, and a number
paired with a tensor as a tensor of the tensor's dtype and device (numpy's rule: a Python number
takes the array's dtype).  Shared by torchnp.py and its families (torchmath.py, torchshapes.py).
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
    ref = a if _is_t(a) else b
    a = a if _is_t(a) else torch.as_tensor(a, dtype=ref.dtype, device=ref.device)
    b = b if _is_t(b) else torch.as_tensor(b, dtype=ref.dtype, device=ref.device)
    return a, b
