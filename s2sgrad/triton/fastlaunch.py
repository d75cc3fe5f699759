"""Launching a kernel that Triton has already compiled without Triton's per-call binding.

`kernel[grid](*args, **consts)` runs Triton's JITFunction.run on every call: it binds the
arguments, computes their specialisation, hashes a cache key, checks the kernel's globals and
builds launch metadata.  Here the first launch of each specialisation goes through Triton's path,
which compiles (or finds) the kernel and returns it; later launches with the same specialisation
call that compiled kernel's own launcher (`CompiledKernel[grid]`) directly, as Inductor's
generated code does.  Measured on an H200 (bench/RESULTS.md, GPU): the seed network's plain step
went from 0.61x to 0.57x torch eager's time -- Triton's path was a small part of that step's host
time, most of which is torch's own ops.

Guarantee: a compiled kernel is reused only for a launch whose key equals the key of the launch
that obtained it from Triton.  The key is at least as fine as what Triton specialises on: each
tensor's dtype and whether its address is 16-byte aligned; each int's equality to 1, divisibility
by 16 and width (32 bits, 64 bits, unsigned 64); each bool's value; each other argument's type;
every constexpr and launch option (num_warps) by type and value; the grid; the current device.
Not in the key: Triton's debug and instrumentation knobs, which JITFunction.run reads at every
launch -- one switched after a kernel's first launch leaves that kernel as it was compiled.  The
compiled kernel's runner computes the launch metadata and calls Triton's launch hooks (a
profiler's) as Triton's path does.  Anything this module does not know -- a parameter with a
default the launch does not pass, a Triton without `CompiledKernel[grid]`, the interpreter (whose
launches return nothing) -- takes Triton's path every time.  `S2SGRAD_TRITON_FAST_LAUNCH=0` turns
the fast path off.
"""
from __future__ import annotations

import os
import time

import torch

ENABLED = {"on": os.environ.get("S2SGRAD_TRITON_FAST_LAUNCH", "1") != "0"}
# launches that went through Triton's own path and their seconds (a kernel's first launch: its
# compilation), and the compiled kernels kept for direct launches -- for bench/gpu_bench.py
JIT = {"launches": 0, "seconds": 0.0, "kept": 0}


def _arg_key(a):
    if isinstance(a, torch.Tensor):
        return a.dtype, a.data_ptr() % 16 == 0
    t = type(a)
    if t is int:
        return a == 1, a % 16 == 0, (-2**31 <= a < 2**31) + 2 * (a >= 2**63)
    if t is bool:
        return t, a
    return t


class _Kernel:
    """What one JIT function needs for direct launches: its parameter order, and the compiled
    kernels (as grid runners) by launch key."""

    def __init__(self, kernel):
        import inspect
        fn = getattr(kernel, "fn", None)
        self.names = list(inspect.signature(fn).parameters) if fn is not None else None
        self.runners = {}

    def full_args(self, args, consts):
        """All parameters in signature order (constexprs included, as Triton's launcher takes
        them), or None when a parameter is neither passed nor a constexpr given by name."""
        names = self.names
        if names is None or len(args) > len(names):
            return None
        full = list(args)
        for n in names[len(args):]:
            if n not in consts:
                return None
            full.append(consts[n])
        return full


def _through_triton(kernel, grid, args, consts):
    t0 = time.perf_counter()
    try:
        return kernel[grid](*args, **consts)
    finally:
        JIT["launches"] += 1
        JIT["seconds"] += time.perf_counter() - t0


def launch(kernel, grid, args, consts):
    """Launch kernel on grid with args (positional) and consts (constexprs and launch options by
    name), directly when a compiled kernel for this key is known, else through Triton (and keep
    the kernel it returns for the next launch with this key)."""
    if not ENABLED["on"]:
        _through_triton(kernel, grid, args, consts)
        return
    k = getattr(kernel, "_s2sgrad_direct", None)
    if k is None:
        k = _Kernel(kernel)
        try:
            kernel._s2sgrad_direct = k
        except AttributeError:  # (not a JITFunction: Triton's path)
            kernel[grid](*args, **consts)
            return
    key = (torch.cuda.current_device() if torch.cuda.is_initialized() else -1, tuple(grid),
           tuple(map(_arg_key, args)), tuple((n, type(v), v) for n, v in sorted(consts.items())))
    runner = k.runners.get(key)
    if runner is not None:
        runner(*k.full_args(args, consts))
        return
    compiled = _through_triton(kernel, grid, args, consts)
    full = k.full_args(args, consts)
    if full is None or compiled is None or not hasattr(compiled, "__getitem__"):
        return
    try:
        # (a compiled kernel's runner reads grid[0], grid[1] and grid[2]; Triton's path pads them)
        k.runners[key] = compiled[tuple(grid) + (1,) * (3 - len(grid))]
        JIT["kept"] += 1
    except Exception:  # (a Triton whose compiled kernels do not launch this way: its own path)
        return


__all__ = ["launch", "ENABLED", "JIT"]
