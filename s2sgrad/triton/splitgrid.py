"""The grid of a split rows kernel (rowsplit.py), decided on the host: whether a rows kernel is
split, how many programs the GPU holds at once, how many rows a grid walks at a time, and whether
this Triton launches a cooperative grid.

What this guarantees: a split kernel's grid (split_groups(M, N, K) * K programs) is at most
split_capacity(N), a bound -- never more -- on the programs the GPU holds at once with the launch's
warps, register cap and tile; so every program of a row is running while the others wait.  The
settings are runtime.ROWS's, read at each call (tests and bench/gpu_bench.py's sweeps change them).
"""
from __future__ import annotations

import functools

import torch

from . import runtime


def split_pays(arrays):
    """Whether holding these arrays (the ones a later phase reads again) in registers pays for a
    split: one or two (more would hold too many registers across the exchange; none: nothing to
    save).  A kernel is split where split_possible(N) and this hold."""
    return 1 <= len(arrays) <= 2


def split_possible(N):
    """Whether a rows kernel over N columns may hold each row in K programs, a block of
    rows_setting("tile", N) columns each (rowsplit.py): ROWS "split" is on for N, K = cdiv(N, tile) is 2 to 64, and the GPU holds K programs at once
    (split_capacity)."""
    if not runtime.rows_setting("split", N):
        return False
    K = -(-N // runtime.rows_setting("tile", N))
    return 2 <= K <= 64 and K <= split_capacity(N)


def split_capacity(N):
    """Programs of a split rows kernel over N columns the GPU holds at once, a bound from the
    launch's warps, register cap and tile: 64 warps and 64K registers a multiprocessor (allocated 8
    a thread at a time; without a cap, as many as let one program fit: the compiler's limit), the
    tile's bytes of shared memory a program at most (a layout conversion) of 227 KB.  Under the
    interpreter: no bound (it waits for nothing)."""
    if runtime.INTERPRETED or not torch.cuda.is_available():
        return 1 << 30
    options = runtime.rows_options(N)  # (what the launch passes: a cap only with num_warps)
    warps = options.get("num_warps", 4)
    regs = -(-min(options.get("maxnreg", 255), 65536 // (32 * warps)) // 8) * 8
    tile = runtime.rows_setting("tile", N) * 8
    per_sm = min(64 // warps, 65536 // (regs * 32 * warps), 232448 // (tile + 1024), 32)
    return torch.cuda.get_device_properties(torch.cuda.current_device()).multi_processor_count * per_sm


@functools.lru_cache(maxsize=1)
def cooperative_launch():
    """Whether this Triton launches a kernel as a cooperative grid on request
    (`launch_cooperative_grid`, Triton 3.3 on): the driver then refuses a grid whose programs it
    cannot hold at once instead of starting it (a split rows kernel would wait forever)."""
    try:
        import dataclasses

        from triton.backends.nvidia.compiler import CUDAOptions
        return any(f.name == "launch_cooperative_grid" for f in dataclasses.fields(CUDAOptions))
    except Exception:
        return False


def split_groups(M, N, K):
    """G, the rows a split kernel's grid of G * K programs walks at once (every program resident:
    split_capacity); two under the interpreter, so that the tests walk rows as the GPU does."""
    if runtime.INTERPRETED or not torch.cuda.is_available():
        return max(1, min(M, 2))
    return max(1, min(M, split_capacity(N) // K))
