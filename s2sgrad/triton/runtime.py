"""What generated launchers call: strides for broadcasting, output allocation (with NaN canaries
when testing), scalar packing, power-of-two block sizes, and launch/byte accounting."""
from __future__ import annotations

import collections
import functools
import math
import os
import struct

import torch

from . import fastlaunch

LAUNCHING = {"on": False}  # true while a kernel runs (the interpreter itself calls torch)
INTERPRET = os.environ.get("TRITON_INTERPRET") == "1"
# whether Triton runs the kernels in its interpreter, one program at a time (tests set INTERPRET
# False for the GPU's block sizes while the interpreter still runs them: rowsplit.py must know)
INTERPRETED = INTERPRET


class Stats:
    """Kernel launches and bytes moved, for the measures in bench/ and the tests.  Off until reset()
    (a launch then pays for the byte count); the last LIMIT launches are kept, the totals exactly."""

    LIMIT = 4096

    def __init__(self):
        self.reset()
        self.on = False

    def reset(self):
        """Start counting from zero."""
        self.on = True
        self.launches = collections.deque(maxlen=self.LIMIT)  # (kernel, bytes read, bytes written)
        self.kernels = 0
        self.bytes = 0

    def stop(self):
        self.on = False


STATS = Stats()
CANARY = {"on": False, "pad": 64}
_canaries = []


def strides(t, M, N):
    """(stride over rows, stride over cols) of t broadcast into an M x N iteration space."""
    if t.ndim == 0:
        return 0, 0
    if t.ndim == 1:
        return 0, (t.stride(0) if t.shape[0] != 1 or N == 1 else 0)
    s0 = t.stride(0) if t.shape[0] != 1 or M == 1 else 0
    s1 = t.stride(1) if t.shape[1] != 1 or N == 1 else 0
    return s0, s1


def alloc(shape, dtype, device):
    """An output buffer; with canaries on, a view into a NaN-filled buffer with a NaN tail that
    must survive the kernel (the interpreter does not catch out-of-bounds writes)."""
    numel = math.prod(shape) if shape else 1
    if not CANARY["on"] or not dtype.is_floating_point:  # (a mask's buffer cannot hold NaN)
        return torch.empty(shape, dtype=dtype, device=device)
    buf = torch.full((numel + CANARY["pad"],), float("nan"), dtype=dtype, device=device)
    t = buf[:numel].view(shape)
    _canaries.append((buf, numel))
    return t


def check_canaries(kernel):
    while _canaries:
        buf, numel = _canaries.pop()
        if not torch.isnan(buf[numel:]).all():
            raise AssertionError(f"{kernel} wrote past the end of an output buffer")
        if torch.isnan(buf[:numel]).any():
            raise AssertionError(f"{kernel} left part of an output buffer unwritten")


_PLACEHOLDERS = {}


def pack_scalars(values, dtype, device):
    """Run-time scalars and non-fp32-exact constants, in the kernel's dtype (a bare Python float
    argument would be fp32 on a GPU)."""
    if not values:  # the kernel still takes the pointer: one cached placeholder, no allocation per call
        key = (dtype, str(device))
        if key not in _PLACEHOLDERS:
            _PLACEHOLDERS[key] = torch.zeros(1, dtype=dtype, device=device)
        return _PLACEHOLDERS[key]
    if all(not isinstance(v, torch.Tensor) for v in values):
        return torch.tensor([float(v) for v in values], dtype=dtype, device=device)
    return torch.stack([torch.as_tensor(v, dtype=dtype, device=device).reshape(()) for v in values])


def bind_device(module, device):
    """Give a host module what its launchers read for `device`: the host `np` (torchnp) and the
    tensors passed for a kernel's unused scalar pointer (one per dtype, made once per device)."""
    from .torchnp import TorchNumpy
    module.np = TorchNumpy(device)
    module.NO_SCALARS_F32 = pack_scalars([], torch.float32, device)
    module.NO_SCALARS_F64 = pack_scalars([], torch.float64, device)
    module.np_device = device


PENDING_CHECKS = []  # (flags, labels name, N, site) of the call in progress: read once it has returned


def check_labels(flags, name, N, site):
    """Note a kernel's count of programs that met a label of `name` outside [-N, N) (a 0-d tensor,
    gather.py); nothing is read here, so no launch waits for the device."""
    PENDING_CHECKS.append((flags, name, N, site))


def raise_pending_checks():
    """Raise gather.LabelIndexError if a kernel of the call flagged a label outside [-N, N): one
    device read for the whole call (numpy raises IndexError there; the kernels computed 0)."""
    if not PENDING_CHECKS:
        return
    pending = list(PENDING_CHECKS)
    PENDING_CHECKS.clear()
    flags = pending[0][0].reshape(1) if len(pending) == 1 else torch.stack([f for f, *_ in pending])
    for bad, (_, name, N, site) in zip(flags.tolist(), pending):
        if bad:
            from ..ir import Loc
            from .gather import LabelIndexError
            raise LabelIndexError.out_of_bounds(N, name, Loc(*site) if site else None)


def f64_arg(x):
    """A float64 kernel argument as two integers (codegen's `_f64` reassembles it): the high and low
    32 bits of its IEEE pattern, each offset by 2**32 so that Triton always types them int64."""
    bits = struct.unpack("<Q", struct.pack("<d", float(x)))[0]
    return (bits >> 32) + 4294967296, (bits & 0xFFFFFFFF) + 4294967296


def pow2(n):
    return 1 << max(0, math.ceil(math.log2(max(1, n))))


# the widest block of a flat kernel on a GPU (from 2**24 elements: "big_block"), its warps (None:
# Triton's 4), and the blocks each program of a kernel with whole sums walks (from "iters_from"
# elements).  Measured on an H200 (bench/gpu_bench.py --flat-sweep, interleaved medians), value+grad
# of 1e8 float32 elements: first run 0.274 ms with 1024 (2.92 TB/s), 0.242 ms with 2048 (3.31); second
# run (blocks per program added) 1024 x 8 blocks 0.232 ms (3.45 TB/s), 2048 x 1 0.234 (3.42),
# 2048 x 4 0.253, 2048 x 8 0.259, 2048 x 16 0.261, 4096 x 4 at 8 warps 0.263
FLAT = {"max_block": 1024, "big_block": 1024, "num_warps": None, "iters": 8, "iters_from": 1 << 24}


def flat_block(numel):
    return _flat_block(numel, INTERPRET, FLAT["big_block"] if numel >= 1 << 24 else FLAT["max_block"])


def flat_iters(numel, block):
    """Blocks per program of a 1-D flat kernel with whole sums: from FLAT["iters_from"] elements
    (2**24) each program sums FLAT["iters"] consecutive blocks lane by lane and writes one partial,
    so the cross-lane sums and the partials to add up shrink by that factor; below it, one block."""
    if numel < FLAT["iters_from"]:
        return 1
    # a power of two, as the blocks are: the programs' last offsets, ceil(numel / (block * iters)) *
    # block * iters, then stay within 2**31 wherever numel does (32-bit offsets below that)
    n = max(1, min(FLAT["iters"], -(-numel // block)))
    return 1 << (n.bit_length() - 1)


def flat_warps():
    """num_warps for a flat kernel's launch (written into the launcher when not Triton's default)."""
    return None if INTERPRET else FLAT["num_warps"]


@functools.lru_cache(maxsize=4096)  # a launch plan: chosen once per size (and mode), not per call
def _flat_block(numel, interpret, widest):
    if interpret:  # keep the interpreter to ~64 programs per launch
        return max(16, pow2(math.ceil(numel / 64)))
    return min(widest, max(16, pow2(numel)))


def rows_blocks(M, N):
    """(BM, BN) for a rows kernel: BM rows per program, walked BN columns at a time.  On a GPU a
    tile holds at most rows_setting("tile", N) elements (1024: 8 a thread at 4 warps, the fused
    cross-entropy keeping a dozen values live per element; 8192 on 32 warps for wide rows); BN
    depends on N alone, so a new batch size reuses the kernel."""
    return _rows_blocks(M, N, INTERPRET, rows_setting("tile", N))


# a rows kernel's tile (elements), num_warps (None: Triton's 4), persistent programs per
# multiprocessor (None: one program per row block; rowloop.py), reuse (an array a later loop reads
# again: True for L2 eviction hints and that loop walking the row backwards, "hints" or "backwards"
# for one of the two, "partial_first" for that loop taking the row's partial block first;
# rowloop._with_reuse) and store (an eviction policy, or a cache modifier such as
# ".cs", for the tiles a rows kernel writes), as bench/gpu_bench.py sweeps them.  Rows of at least
# wide["from"] columns take wide's settings instead.  Measured on the H200 (bench/RESULTS.md, the
# cross-entropy at 4096 x 50257 float32): 1024 x 4 warps, one program a row, 1.074 ms (1.243 with
# reuse: as far as we can tell, evict_last lines of finished rows stay in L2 and push out the rows
# in flight); 8192 x 32 warps, one persistent program a multiprocessor, 0.773 ms (2026-11-29).  The
# second pass takes the partial block first: at 32 warps the other order spilled 8 bytes at
# N = 50257 under Triton 3.9 before align.  align: whole blocks start at each
# row's first 16-byte boundary (rows_align), so a row of odd width (50257) is read and written with
# 16-byte vector instructions instead of 4-byte ones; recip: a division by a row's online sum or tie
# count is a multiply by its reciprocal, rounded once a row.  Compiled for sm_90, the two took the
# cross-entropy's second pass from 27 to 18 instructions an element, its first from 22.5 to 21.
# maxnreg: registers a thread at most (a launch option), so that more programs share a
# multiprocessor.  The H200 run of 2026-11-30 (bench/RESULTS.md; that machine ran the old 0.773 ms
# setting at 1.005 ms): 8192 x 32 warps, one program a multiprocessor, 1.070 ms as it was, 0.980
# with align and recip; 4096 x 16 warps, two programs a multiprocessor at 64 registers, 0.937;
# 2048 x 8, four, 0.930; half the multiprocessors 1.520 (a program cannot pull its share alone: the
# L2 is not what limits it).  A second run (same day, a faster machine: 8192 x 32 0.870) timed one
# program a row block, not persistent, at 64 registers: 4096 x 16 0.750 ms, 2048 x 8 0.764, against
# 0.776 for four persistent programs of 8 warps (likely: the hardware scheduler balances 4096 rows over
# 264 resident programs better than 15.5 rows a program); so the wide rows are no longer persistent
ROWS = {"tile": 1024, "num_warps": None, "persistent": None, "reuse": False, "store": None, "align": True,
        "recip": True, "maxnreg": None, "split": False,
        "wide": {"from": 8192, "tile": 4096, "num_warps": 16, "persistent": None, "reuse": "partial_first", "maxnreg": 64}}


def rows_align(layouts, N, BN):
    """(ALIGN, HEADS) for a rows kernel's aligned loops (rowalign.aligned_rows) over arrays of
    `layouts` ([(row stride, column stride, item size)], None where one is known only at the call),
    walked in blocks of BN columns: ALIGN the elements of 16 bytes of the narrowest type, when every
    array is contiguous along its rows and their row strides agree modulo ALIGN, so that one head
    per row puts every array's whole blocks on a 16-byte boundary (a base pointer that is not
    aligned loses only the vector width: Triton's JIT specialises on it); else 1, no hint.  HEADS
    when the rows do not all start on a boundary already -- and then only if a whole block fits
    after a head: otherwise every column is in the partial loop, where a head only costs (a select
    an element, and a layout conversion for the stores: at N = 1001, 538 SASS instructions a row
    against 429 and barriers in the loop), so the rows are walked as they start, with no hint."""
    if not layouts:
        return 1, False
    align = max(16 // size for _, _, size in layouts)
    phases = {s0 % align for s0, _, _ in layouts}
    if align == 1 or any(s1 != 1 for _, s1, _ in layouts) or len(phases) != 1 or N < 2 * align:
        return 1, False
    heads = phases != {0}
    if heads and (N - align + 1) // BN == 0:
        return 1, False
    return align, heads


def rows_setting(key, N):
    """ROWS[key] for rows of N columns: wide's where it sets the key and N is wide enough."""
    wide = ROWS["wide"]
    if wide and key in wide and N >= wide["from"]:
        return wide[key]
    return ROWS[key]


def rows_programs(blocks, N):
    """Programs of a rows kernel over `blocks` row blocks of N columns: all of them, or
    rows_setting("persistent") per multiprocessor of the current GPU (per interpreter: one
    multiprocessor) when that is fewer."""
    k = rows_setting("persistent", N)
    if k is None:
        return blocks
    sms = 1 if INTERPRET or not torch.cuda.is_available() else \
        torch.cuda.get_device_properties(torch.cuda.current_device()).multi_processor_count
    return max(1, min(blocks, int(k * sms)))  # (k may be a fraction: fewer programs than multiprocessors)


def rows_warps(N):
    """num_warps for a rows kernel's launch (written into the launcher when not Triton's default)."""
    return None if INTERPRET else rows_setting("num_warps", N)


def rows_options(N):
    """A rows kernel's launch options beyond Triton's defaults: num_warps (rows_warps), and with it
    maxnreg (registers a thread, at most), as the launchers pass them and splitgrid counts them."""
    warps = rows_warps(N)
    if not warps:
        return {}
    cap = rows_setting("maxnreg", N)
    return {"num_warps": warps, **({"maxnreg": cap} if cap else {})}


@functools.lru_cache(maxsize=4096)
def _rows_blocks(M, N, interpret, tile=1024):
    if interpret:  # the interpreter pays per block operation: wide blocks, ~64 programs
        BN = max(16, min(pow2(N), 1 << 16))
        return max(1, min(pow2(math.ceil(M / 64)), max(1, (1 << 16) // BN))), BN
    BN = max(16, min(pow2(N), tile))
    return max(1, min(64, tile // BN)), BN


def matmul_blocks(M, N, K):
    return _matmul_blocks(M, N, K, INTERPRET)


@functools.lru_cache(maxsize=4096)
def _matmul_blocks(M, N, K, interpret):
    if interpret:
        BM = max(16, pow2(math.ceil(M / 8)))
        BN = max(16, pow2(math.ceil(N / 8)))
        return min(BM, 128), min(BN, 128), 16
    # a few rows (a vector times a matrix: one row): the smallest tile tl.dot takes, not 64 rows of
    # which one is used (a float64 64x64x32 tile with one row spilled 952 bytes on sm_90)
    return (16 if M <= 16 else 64), 64, 32


PRODUCT_FIRST = {"force": None}  # tests: True/False overrides the choice below (the interpreter never makes it)


def product_first(M, N, K):
    """Whether a product with an epilogue is computed by cuBLAS first (runtime.mm), its kernel then
    reading it as the epilogue's input: for big products (cuBLAS's tuned tiles: on an H200 our fixed
    64x64x32 tiles ran an 8192x4096x4096 float32 product at 43 TFLOP/s against its 53, and 14 with a
    transposed operand) and for products with few output tiles and a long K (the seed network's
    64x1000 @ 1000x100 ran on 2 programs, 46 us, against cuBLAS's 3.4 us).  Chosen when the plan is
    made; the extra pass over the M x N product costs what its epilogue would have read anyway."""
    return _product_first(M, N, K, INTERPRET, PRODUCT_FIRST["force"])


@functools.lru_cache(maxsize=4096)
def _product_first(M, N, K, interpret, force):
    if force is not None:
        return force
    if interpret:
        return False
    BM, BN, _ = _matmul_blocks(M, N, K, False)
    tiles = -(-M // BM) * -(-N // BN)
    return M * N * K >= 1 << 30 or (K >= 256 and tiles < 32)


class Options:
    """Settings of the Triton backend (`s2sgrad.triton.options`).

    allow_tf32: float32 matrix products on tensor cores in TF32 (inputs rounded to a 10-bit
    mantissa: ~1e-3 relative error, several times faster).  None (the default) follows torch's own
    switch, `torch.backends.cuda.matmul.allow_tf32`, which is False unless you set it; True or False
    overrides it for this backend's products, both the cuBLAS ones and the fused Triton kernels.
    float64 products never use TF32.  Read when a signature is compiled and at each product.

    cuda_graphs: False (the default) runs the host program at every call.  True captures each
    signature's whole value-and-gradient step as a torch.cuda.CUDAGraph at its first call and
    replays it at later ones (graphs.py: static input buffers, outputs copied out as fresh
    tensors, label checks read after each replay); CUDA tensors only -- anything else is refused
    with an S2SGradError, as is host code that reads device values.  Read at each call."""

    def __init__(self):
        self.allow_tf32 = None
        self.cuda_graphs = False


OPTIONS = Options()


def tf32_enabled():
    if OPTIONS.allow_tf32 is None:
        return bool(torch.backends.cuda.matmul.allow_tf32)
    return bool(OPTIONS.allow_tf32)


def mm(a, b):
    """a @ b through torch.matmul (cuBLAS on a GPU), with TF32 as OPTIONS says; contiguous, as the
    launch plan assumes of every launch output (torch.matmul's results are: the copy never runs)."""
    out = _mm(a, b)
    return out if out.is_contiguous() else out.contiguous()


def _mm(a, b):
    LAUNCHING["on"] = True
    try:
        want = OPTIONS.allow_tf32
        if want is None or not a.is_cuda or torch.backends.cuda.matmul.allow_tf32 == bool(want):
            return torch.matmul(a, b)
        saved = torch.backends.cuda.matmul.allow_tf32
        torch.backends.cuda.matmul.allow_tf32 = bool(want)
        try:
            return torch.matmul(a, b)
        finally:
            torch.backends.cuda.matmul.allow_tf32 = saved
    finally:
        LAUNCHING["on"] = False


def add_outer(g, a, b):
    """`g += np.outer(a, b)` (loops.py): in place with one torch op (BLAS ger, no outer product
    allocated) when g is a 2-D float tensor of shape (len(a), len(b)) and a, b are vectors of its
    dtype; otherwise exactly the statement it replaces (the host's np.outer, then +=)."""
    if (isinstance(g, torch.Tensor) and isinstance(a, torch.Tensor) and isinstance(b, torch.Tensor)
            and g.dtype.is_floating_point and a.dtype == g.dtype and b.dtype == g.dtype and a.ndim == 1
            and b.ndim == 1 and g.shape == (a.shape[0], b.shape[0])):
        return g.addr_(a, b)
    g += torch.outer(a.reshape(-1), b.reshape(-1))
    return g


LAUNCH_LOG = {"on": False, "launches": []}  # (kernel, argument types, constexprs), for GPU compile checks


def _sigtype(a):
    if isinstance(a, torch.Tensor):
        return "*" + {torch.float64: "fp64", torch.float32: "fp32", torch.int64: "i64", torch.int32: "i32",
                      torch.bool: "i1"}[a.dtype]
    if isinstance(a, bool):
        return "i1"
    if isinstance(a, int):
        return "i32" if -2**31 <= a < 2**31 else "i64"
    if isinstance(a, float):
        return "fp32"
    raise TypeError(type(a))


def _spec(a):
    """What Triton's JIT specialises an argument on: 16-byte aligned pointers and ints divisible by
    16 ("D"), ints equal to 1 ("one": they become constants)."""
    if isinstance(a, torch.Tensor):
        return "D" if a.data_ptr() % 16 == 0 else ""
    if isinstance(a, int) and not isinstance(a, bool):
        return "one" if a == 1 else ("D" if a % 16 == 0 else "")
    return ""


def _arg_names(kernel):
    import inspect
    fn = getattr(kernel, "fn", kernel)
    return list(inspect.signature(fn).parameters)


def launch(kernel, grid, args, consts):
    if LAUNCH_LOG["on"]:
        from .gpucheck import not_specialised
        names = _arg_names(kernel)
        LAUNCH_LOG["launches"].append((kernel, [(_sigtype(a), "" if not_specialised(n) else _spec(a))
                                                for n, a in zip(names, args)], dict(consts)))
    LAUNCHING["on"] = True
    try:
        fastlaunch.launch(kernel, grid, args, consts)
    except BaseException:
        _canaries.clear()  # (a launch that failed wrote nothing: its buffers are not the next one's to check)
        raise
    finally:
        LAUNCHING["on"] = False


def record(kernel, inputs, outputs, passes=None):
    """Count a launch: bytes read (each input times the passes the kernel makes over it: a rows
    kernel reads an input once per loop) and bytes written."""
    if STATS.on:
        passes = passes or (1,) * len(inputs)
        read = sum(t.numel() * t.element_size() * p for t, p in zip(inputs, passes) if isinstance(t, torch.Tensor))
        written = sum(t.numel() * t.element_size() for t in outputs if isinstance(t, torch.Tensor))
        STATS.launches.append((kernel, read, written))
        STATS.kernels += 1
        STATS.bytes += read + written
    if CANARY["on"]:
        check_canaries(kernel)


_NOT_LAUNCHES = {"__get__", "stride", "dim", "size", "numel", "element_size", "__len__", "data_ptr", "is_contiguous",
                 "storage_offset", "view", "__getitem__", "__setitem__", "device", "dtype", "shape", "reshape",
                 "contiguous", "detach", "cpu", "numpy", "ndim", "is_floating_point", "untyped_storage", "__index__",
                 "item", "__bool__", "__float__", "empty", "as_tensor", "tensor", "full", "isnan", "all", "any",
                 "stack", "to", "zeros", "tolist"}


def count_host_ops():
    """A context manager listing the torch ops host code runs outside kernel launches (each is a
    launch on a GPU; allocation, views and transfers are not counted)."""
    class _Count(torch.overrides.TorchFunctionMode):
        def __init__(self):
            super().__init__()
            self.calls = []

        def __torch_function__(self, func, types, args=(), kwargs=None):
            name = getattr(func, "__name__", str(func))
            if not LAUNCHING["on"] and name not in _NOT_LAUNCHES:
                self.calls.append(name)
            return func(*args, **(kwargs or {}))
    return _Count()
