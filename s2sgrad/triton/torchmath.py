"""numpy's elementwise functions for host code on torch tensors: a mixin of torchnp.TorchNumpy.

Each function takes what numpy's takes; given no tensor it is numpy's own function (or the same
operator), so Python numbers stay numbers; given a tensor it is torch's, with numpy's semantics
written out where torch's differ or torch lacks the function (a number operand takes the
tensor's dtype; cbrt of negative numbers; heaviside of NaN).
"""
from __future__ import annotations

import numpy as _np
import torch

from .torchvalues import _any_t, _is_t, _pair


def _binary(name, np_name=None):
    """numpy's `np_name(a, b)` (default: name) on tensors through torch's function `name` (numbers
    made tensors)."""
    np_name = np_name or name

    def call(self, a, b):
        return getattr(torch, name)(*_pair(a, b)) if _any_t((a, b)) else getattr(_np, np_name)(a, b)
    call.__name__ = np_name
    return call


class ElementwiseFunctions:
    """maximum, where, the inverse trigonometric functions, issue 11's rows a kernel does not
    compute, clip, sign: numpy's elementwise functions as host code calls them."""

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
        if not _any_t((x, lo, hi)):
            return _np.clip(x, lo, hi)
        ref = next(v for v in (x, lo, hi) if _is_t(v))
        x = x if _is_t(x) else torch.as_tensor(x, dtype=ref.dtype, device=ref.device)
        if _is_t(lo) or _is_t(hi):  # torch.clamp takes its bounds both as tensors or both as numbers
            lo, hi = (v if v is None or _is_t(v) else torch.as_tensor(v, dtype=x.dtype, device=x.device)
                      for v in (lo, hi))
        return torch.clamp(x, lo, hi)

    # comparisons by numpy's names: torch.equal is one bool for two whole tensors, not elementwise
    equal, not_equal = _binary("eq", "equal"), _binary("ne", "not_equal")

    def isclose(self, a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
        if not _any_t((a, b)):
            return _np.isclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan)
        return torch.isclose(*_pair(a, b), rtol=rtol, atol=atol, equal_nan=equal_nan)

    def round(self, x, decimals=0):
        return torch.round(x, decimals=decimals) if _is_t(x) else _np.round(x, decimals)

    around = round

    def floor_divide(self, a, b):
        return torch.floor_divide(a, b) if _any_t((a, b)) else _np.floor_divide(a, b)

    def sign(self, x):
        return torch.sign(x) if _is_t(x) else _np.sign(x)
