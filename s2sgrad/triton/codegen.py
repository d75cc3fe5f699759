"""Triton source for a planned kernel group, and its host-side launcher.

Each kernel reads each input once and writes each output once.  Conventions that keep kernels
correct on the interpreter and on GPUs alike:
- every array operand is addressed as `rows * stride0 + cols * stride1`; broadcast dimensions get
  stride 0 from the launcher, so `.T` views and bias vectors need no copies;
- masked lanes load the reduction identity (0, or -inf for max), and the mask is applied again
  before every reduction, because a fused elementwise op can turn a masked 0 into something else
  (exp(0) is 1);
- every block size is a power of two; ragged edges are masked;
- run-time Python numbers (the seed, a Python float argument) and float constants that float32
  cannot hold exactly are kernel arguments (no tensor to pack, no host-to-device copy): a float32
  kernel takes them as float32 (numpy rounds a Python float to the array's float32 too); a
  float64 kernel takes the two halves of their IEEE bit pattern as integers (Triton passes Python
  floats as fp32) and `_f64` puts them back together, exactly.  0-d tensors computed on the
  device are read from a small tensor of the computation's dtype (no host read);
- no libdevice-only functions: tanh is a composite (exp, with a Taylor branch near 0), powers are
  products.
"""
from __future__ import annotations

import numpy as np

from ..ir import Attr, Call, Name, expr_names
from ..passes.shapes import Known, PyNum
from .gather import describe
from .kernelargs import KernelInputs
from .kernelexpr import KernelExpressions, fp32_exact, local_name
from .plan import KernelGroup
from .prologue import prologue_head
from .rowloop import rows_body

_TL_DTYPE = {np.dtype(np.float64): "tl.float64", np.dtype(np.float32): "tl.float32"}

HELPERS = '''
@triton.jit
def _tanh(x):
    # tanh without libdevice: (1 - e) / (1 + e) with e = exp(-2|x|), and a Taylor series near 0
    # where that formula cancels (|x| < 2**-5: next term below 1e-13 relative)
    a = tl.abs(x)
    e = tl.exp(-2.0 * a)
    big = (1.0 - e) / (1.0 + e)
    x2 = x * x
    small = a * (1.0 - x2 / 3.0 + x2 * x2 * 2.0 / 15.0 - x2 * x2 * x2 * 17.0 / 315.0)
    r = tl.where(a < 0.03125, small, big)
    return tl.where(x < 0, -r, r)


@triton.jit
def _f64(hi, lo):
    # a float64 argument: the high and low 32 bits of its IEEE pattern, each passed offset by 2**32
    # so that both are always 64-bit integer arguments (runtime.f64_arg)
    bits = ((tl.cast(hi, tl.int64) - 4294967296) << 32) | (tl.cast(lo, tl.int64) - 4294967296)
    return bits.to(tl.float64, bitcast=True)
'''


class KernelSource(KernelExpressions, KernelInputs):
    """Builds the source of one kernel and its launcher from a KernelGroup."""

    def __init__(self, g: KernelGroup, outputs: list, shapes: dict, name: str, tf32: bool = False):
        self.g = g
        # float32 products on tensor cores (TF32, 10-bit mantissa inputs) only when allowed
        self.precision = "tf32" if tf32 and np.dtype(g.dtype) == np.float32 else "ieee"
        self.name = name
        self.shapes = shapes
        self.dt = _TL_DTYPE[np.dtype(g.dtype)]
        self.lines = []
        self.env = {}
        self.arrays = []     # input array names, in load order
        self.scalars = []    # ("name", n) or ("const", value)
        self.python_numbers = {n for n, v in shapes.items() if isinstance(v, (PyNum, Known))
                               and isinstance(getattr(v, "value", 0.0), (int, float))}
        self.outputs = outputs  # [(name, kind)], kind: tile | row | full
        self.full = [s.target for s in g.stmts if _is_full(s, g)]
        self.counter = 0
        self.passes = {}     # input array -> how many times the kernel reads it whole (rows kernels: once a loop)
        self.labels = []     # integer (M,) arrays indexing columns, one per row (gather.py), loaded once
        self.row_values = []  # float (M,) arrays added at those columns, one value per row, loaded once
        self.row_mask = "row_ok" if g.kind == "rows" else "mask"
        self.ix = ("rows", "cols", "mask")  # how a tile load indexes (a product's prologue: its K block)
        self.prologue_arrays = set()
        self.product_first = False  # the kernel can take its product from cuBLAS (matmul kernels without a prologue)
        # a 1-D flat kernel with whole sums runs ITERS consecutive blocks per program (runtime.flat_iters):
        # one cross-lane sum and one partial per program instead of per block
        # (1-D arrays only: a row gather's labels and per-row values need 2-D operands)
        self.looped = (g.kind == "flat" and g.space[0] == 1 and bool(self.full) and not g.prologue
                       and all(len(getattr(shapes.get(n), "shape", None) or ()) <= 1
                               for st in g.stmts for n in (st.target, *expr_names(st.value))))
        self.loop_sums = []  # (accumulator, partial column) of a looped kernel
        self.reciprocals, self.reciprocals_used = {}, set()  # row values divided by, as reciprocals (rowloop.py)
        self.aligned = None  # [(array, "s" | "o")] a rows kernel addresses from row boundaries (rowloop.py)
        self.split = False   # a rows kernel's rows held by several programs each (rowsplit.py)
        from .runtime import rows_setting
        self.persistent = g.kind == "rows" and rows_setting("persistent", g.space[1]) is not None  # (rowloop.py)

    def needs_int64(self):
        """Whether an element offset in this kernel can reach 2**31 (its space or an array it reads
        or writes holds that many elements)."""
        limit = 2 ** 31 - 1
        M, N = self.g.space
        if M * N >= limit:
            return True
        names = set()
        for st in self.g.prologue + self.g.stmts:
            names |= set(expr_names(st.value)) | {st.target}
        if self.g.matmul is not None:
            names |= set(expr_names(self.g.matmul[1])) | set(expr_names(self.g.matmul[2]))
        for n in names:
            shape = getattr(self.shapes.get(n), "shape", None)
            if shape and int(np.prod(shape, dtype=np.int64)) >= limit:
                return True
        return False

    def stored(self, name, var):
        """var as the output `name` holds it: a mask computed as 0/1 in the kernel's float type is
        stored as numpy's bool, a row count as int64."""
        kind = np.dtype(getattr(self.shapes.get(name), "dtype", None) or "f8").kind
        if kind == "b":
            return f"{var} != 0"
        if kind in "iu":
            return f"{var}.to(tl.int64)"
        return var

    # ---------------------------------------------------------------- statements
    def statement(self, s):
        v = s.value
        t = s.target
        if self.g.kind == "matmul" and s is self.g.stmts[0]:
            self.env[t] = "acc"
            return
        if v.op in ("np.sum", ".sum", "np.mean", ".mean", "np.max", ".max") and (v.kw("axis") is None):
            inner = self.ex(v.args[0])
            red = self.fresh(f"{t}_partial")
            k = self.full.index(t)
            if self.looped:  # summed lane by lane over the program's blocks, across lanes after the loop
                self.loop_sums.append((red, k))
                self.lines.append(f"{red} += tl.where(mask, {inner}, 0.0)")
                return
            self.lines.append(f"{red} = tl.sum(tl.where(mask, {inner}, 0.0))")
            self.lines.append(f"tl.store(partials_ptr + pid_lin * {self.partial_columns} + {k}, {red})")
            return
        if v.op in ("np.sum", ".sum", "np.mean", ".mean", "np.max", ".max"):
            inner = self.ex(v.args[0])
            if v.op in ("np.max", ".max"):
                # numpy's max of a row holding a NaN is NaN; tl.max would skip it
                x = self.bind(f"tl.where(mask, {inner}, -float('inf'))")
                nan = self.bind(f"tl.max(({x} != {x}).to(tl.int32), axis=1, keep_dims=True) > 0")
                r = f"tl.where({nan}, float('nan'), tl.max({x}, axis=1, keep_dims=True))"
            else:
                r = f"tl.sum(tl.where(mask, {inner}, 0.0), axis=1, keep_dims=True)"
            var = self.bind(r)
            if v.op in ("np.mean", ".mean"):
                var = self.bind(f"{var} / N")
            self.env[t] = var
            return
        var = self.ex(v)
        lt = local_name(t)
        if self.lines and self.lines[-1].startswith(f"{var} = ") and var.startswith("v_"):
            self.lines[-1] = f"{lt} = " + self.lines[-1].split(" = ", 1)[1]  # name the result after the statement
        else:
            self.lines.append(f"{lt} = {var}")
        self.env[t] = lt

    # ---------------------------------------------------------------- whole kernel
    def source(self):
        g = self.g
        head_mm = []
        if g.kind == "matmul" and g.prologue:
            head_mm = prologue_head(self, _mm_name(g.matmul[2]))  # v computed per K block (prologue.py)
            self.mm_operands = [_mm_name(g.matmul[2])]
        elif g.kind == "matmul":
            target, a, b, K = g.matmul
            an, bn = _mm_name(a), _mm_name(b)
            head_mm = [
                # a big product, or one with few output tiles and a long K, comes from cuBLAS
                # (runtime.product_first): the kernel is then its epilogue and reads it once
                "if PRODUCT:",
                "    acc = tl.load(product_ptr + rows * N + cols, mask=(rows < M) & (cols < N), other=0.0).to(ACC)",
                "else:",
                "    acc = tl.zeros((BM, BN), dtype=ACC)",
                "    for k0 in range(0, K, BK):",
                "        ks = k0 + tl.arange(0, BK)",
                f"        a = tl.load({an}_ptr + rows * {an}_s0 + ks[None, :] * {an}_s1, mask=(rows < M) & (ks[None, :] < K), other=0.0)",
                f"        b = tl.load({bn}_ptr + ks[:, None] * {bn}_s0 + cols * {bn}_s1, mask=(ks[:, None] < K) & (cols < N), other=0.0)",
                f"        acc += tl.dot(a, b, input_precision=\"{self.precision}\", out_dtype=ACC)",
            ]
            self.mm_operands = [an, bn] if an != bn else [an]
            self.product_first = True
        else:
            self.mm_operands = []
        if g.kind == "rows":
            body = rows_body(self, ".to(tl.int64)" if self.needs_int64() else "")
        else:
            for s in g.stmts:
                self.statement(s)
        stores = []
        in_prologue = {p.target for p in g.prologue}
        for name, kind in self.outputs:
            var = self.env.get(name, name)
            if kind == "tile" and name not in in_prologue:
                stores.append(f"tl.store({name}_out + rows * {name}_o0 + cols * {name}_o1, {self.stored(name, var)}, "
                              "mask=mask)")
        params = []
        for n in self.mm_operands:
            params += [f"{n}_ptr", f"{n}_s0", f"{n}_s1"]
        if self.product_first:
            params.append("product_ptr")
        for n in self.arrays:
            if n not in self.mm_operands:
                params += [f"{n}_ptr", f"{n}_s0", f"{n}_s1"]
        for name, kind in self.outputs:
            if kind == "tile":
                params += [f"{name}_out", f"{name}_o0", f"{name}_o1"]
            elif kind == "row":
                params += [f"{name}_out", f"{name}_o0"]
        for n in self.labels:
            params += [f"{n}_lab", f"{n}_lab_s"]
        for n in self.row_values:
            params += [f"{n}_rv", f"{n}_rv_s"]
        params += self.scalar_params() + ["scalars_ptr", "partials_ptr"]
        params += ["xchg_ptr", "counts_ptr"] if self.split else []  # (the exchange of split rows: rowsplit.py)
        params += ["M", "N"]
        if g.kind == "matmul":
            params += ["K", "BM: tl.constexpr", "BN: tl.constexpr", "BK: tl.constexpr", "ACC: tl.constexpr"]
            params += ["PRODUCT: tl.constexpr"] if self.product_first else []
        elif g.kind == "rows":
            params += ["BM: tl.constexpr", "BN: tl.constexpr"]
            params += ["ALIGN: tl.constexpr", "HEADS: tl.constexpr"] if self.aligned else []
            params += ["KP: tl.constexpr", "XCHG: tl.constexpr"] if self.split else []
        else:
            params += ["BLOCK: tl.constexpr"] + (["ITERS: tl.constexpr"] if self.looped else [])
        # program ids are 32-bit: where an array reaches 2**31 elements, offsets are computed in
        # 64 bits (the ids widened first, so every product built on them is 64-bit)
        wide = ".to(tl.int64)" if self.needs_int64() else ""
        if g.kind == "flat" and g.space[0] == 1 and not (self.labels or self.row_values):
            # one row (1-D arrays): the offset is the column, so contiguous operands (stride 1, a
            # constant to the JIT) get vector loads; no division.  (Labels and row values are
            # loaded per row: with a row index that is a number, their loads would not be blocks.)
            index = [f"pid = tl.program_id(0){wide}", "pid_lin = pid", "offs = pid * BLOCK + tl.arange(0, BLOCK)",
                     "mask = offs < N", "rows = 0", "cols = offs"]
        elif g.kind == "flat":
            index = [f"pid = tl.program_id(0){wide}", "pid_lin = pid", "offs = pid * BLOCK + tl.arange(0, BLOCK)",
                     "mask = offs < M * N", "rows = offs // N", "cols = offs % N"]
        elif g.kind == "rows":
            index = []
        else:
            index = [f"pid_m = tl.program_id(0){wide}", f"pid_n = tl.program_id(1){wide}",
                     "pid_lin = pid_m * tl.num_programs(1) + pid_n",
                     "rows = pid_m * BM + tl.arange(0, BM)[:, None]", "cols = pid_n * BN + tl.arange(0, BN)[None, :]"]
            head_mm.append("mask = (rows < M) & (cols < N)")
        if self.looped:
            inits = [f"{acc} = tl.zeros((BLOCK,), dtype={self.dt})" for acc, _ in self.loop_sums]
            loop = ["offs = (pid * ITERS + it) * BLOCK + tl.arange(0, BLOCK)", "mask = offs < N", "rows = 0",
                    "cols = offs"] + self.lines + stores
            sums = [f"tl.store(partials_ptr + pid_lin * {self.partial_columns} + {k}, tl.sum({acc}))"
                    for acc, k in self.loop_sums]
            body = ([f"pid = tl.program_id(0){wide}", "pid_lin = pid"] + self.scalar_lines() + inits
                    + ["for it in range(ITERS):"] + ["    " + l for l in loop] + sums)
        elif g.kind != "rows":
            scal = self.scalar_lines()
            if g.prologue:  # the prologue, inside the product's loop, may read the scalars
                index, head_mm, scal = index, scal + head_mm, []
            body = index + head_mm + scal + self.label_loads() + self.lines + stores + self.label_flags()
        doc = _describe(self.g, self.outputs, self.shapes)
        # M (the batch, in most kernels) is not specialised on: 37 and 64 rows share one binary
        unspecialised = ", ".join(f'"{p}"' for p in ["M"] + self.scalar_params())
        text = [f'@triton.jit(do_not_specialize=[{unspecialised}])', f"def {self.name}({', '.join(params)}):", f'    """{doc}"""']
        text += ["    " + l for l in body]
        return "\n".join(text) + "\n"


def _is_full(s, g):
    v = s.value
    return (isinstance(v, Call) and v.op in ("np.sum", ".sum", "np.mean", ".mean") and v.kw("axis") is None
            and not (g.kind == "matmul" and s is g.stmts[0]))


def _mm_name(e):
    if isinstance(e, Name):
        return e.id
    if isinstance(e, Call) and e.op == "@T":
        return e.args[0].id
    if isinstance(e, Attr):
        return e.value.id
    raise NotImplementedError(e)


def _describe(g, outputs, shapes):
    lines = [describe(s, shapes) for s in g.prologue + g.stmts]
    outs = ", ".join(n for n, _ in outputs)
    # no sizes here: the docstring is part of Triton's cache key, and a kernel serves every batch size
    return (f"{g.kind} kernel: " + "; ".join(lines)
            + (f"  -> writes {outs}" if outs else ""))


__all__ = ["KernelSource", "HELPERS", "fp32_exact", "local_name", "expr_names"]
