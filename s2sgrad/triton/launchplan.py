"""One prepared launch plan per argument signature of a Triton-lowered function.

A plan is made the first time a signature is seen -- the arguments' dtypes, shapes, strides and
device (and Python numbers' types, and the TF32 switch) -- and reused by every later call with the
same signature; anything else makes a new plan.  Making it checks the dtypes, lowers the program
(lower.py) with the input tensors' strides written into the launchers, and binds the host module
to the device (runtime.bind_device).  The launchers then hold their block sizes, grids and every
stride known in advance as numbers: a call pays for the key, the allocation of fresh outputs, the
strides of arrays whose layout can change from call to call (a loop variable holding an input on
the first step and a kernel's output later), and the launches.

Guarantee: a plan is used only for arguments whose signature key equals the one it was made for,
so the strides written into its launchers are the strides of the tensors it is called with, and
the program it runs was generated for the same static values and container layouts.
"""
from __future__ import annotations

import numpy as np
import torch


def signature_key(targs, tf32, static=()):
    """What a plan is specialised on: each tensor's dtype, shape, strides and device; each other
    argument's type, walked into dicts, lists and tuples (their keys, lengths and leaves: an array's
    dtype and shape decide the adjoint's un-broadcasting sums, a number turned array its gradient's
    shape); the values of the parameters the program is generated for (`static`:
    static_args.key_part, an axis or keepdims); the TF32 switch."""
    return tuple(_leaf_key(a) for a in targs) + (static, tf32)


def _leaf_key(a):
    if isinstance(a, torch.Tensor):
        return a.dtype, a.shape, a.stride(), a.device
    if isinstance(a, np.ndarray):
        return np.ndarray, a.dtype, a.shape
    if isinstance(a, dict):
        return dict, tuple((k, _leaf_key(v)) for k, v in a.items())
    if isinstance(a, (list, tuple)):
        return type(a), tuple(_leaf_key(v) for v in a)
    return type(a)


def _in_default_dtype(host, dtype):
    """host, run with torch's default dtype set to the program's float type: a Python number times
    a comparison's mask (`grad_out * (h > 0.0)`, the adjoint of np.maximum) is a float64 array in
    numpy and a tensor of torch's default dtype, float32, in torch -- a float64 program lost its
    precision there (2.5e-8 relative error), or failed at a product of float32 and float64."""
    def run(*args):
        prev = torch.get_default_dtype()
        if prev is dtype:
            return host(*args)
        torch.set_default_dtype(dtype)
        try:
            return host(*args)
        finally:
            torch.set_default_dtype(prev)
    return run


class LaunchPlan:
    """The lowered modules of one signature, bound to its device, and what a call needs around them."""

    def __init__(self, low, device, params, key, float_dtype):
        self.key = key
        self.low = low
        from .captured import binding  # (globals, closure cells and defaults the program reads)
        self.host = _in_default_dtype(binding(low.host, low.module, getattr(low, "captured", None), device),
                                      float_dtype)
        self.device = device
        self.params = params

    def run(self, f, targs, seed):
        """(value, grads) of the host program on `targs` (torch tensors and numbers); the label
        checks of the call are read once it has returned."""
        from . import runtime
        runtime.PENDING_CHECKS.clear()  # (a call that raised may have left some)
        if seed is None:
            value, grads = self.host(*targs)
            if np.ndim(value) != 0:  # (a tensor's rank is known on the host: no device read)
                f._check_scalar(np.zeros(tuple(value.shape)))
        else:
            value, grads = self.host(*targs, self.seed(seed, targs))
        runtime.raise_pending_checks()  # a label out of range: IndexError, as numpy (one read per call)
        return value, grads

    def seed(self, seed, targs):
        if isinstance(seed, np.ndarray):
            seed = torch.from_numpy(seed).to(self.device)
        if self.low.seed_shape is not None and not isinstance(seed, torch.Tensor):
            dtype = next(a.dtype for a in targs if isinstance(a, torch.Tensor))
            seed = torch.full(self.low.seed_shape, float(seed), dtype=dtype, device=self.device)
        return seed


def param_layouts(params, targs):
    """parameter name -> (shape, strides) of each tensor argument (written into the launchers)."""
    return {p: (tuple(a.shape), tuple(a.stride())) for p, a in zip(params, targs) if isinstance(a, torch.Tensor)}


__all__ = ["LaunchPlan", "signature_key", "param_layouts"]
