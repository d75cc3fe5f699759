"""Kernel text for IR expressions: a mixin of codegen.KernelSource.

Guarantees:
- each operation is bound to a fresh kernel variable (`v_<n>`) by one line appended to
  `self.lines`, so a value is computed once however often later text names it (a comparison
  that is np.where's condition stays inline, as a boolean);
- an array operand is one tile load, addressed `rows * s0 + cols * s1` through `self.ix`, bound in
  `self.env` (a rows kernel starts each of its loops with a fresh env and loads again: each
  whole read is counted in `self.passes`);
  integer and boolean arrays are converted to the kernel's float type as they are loaded;
- a scalar operand (a Python number, a 0-d value, a float constant that float32 cannot hold
  exactly) is a scalar slot `s<i>`, one per distinct name or value, in `self.scalars`;
- program variables never take a name the kernel uses for itself (`local_name`).

The state it uses is KernelSource's: lines, env, counter, shapes, dt, arrays, passes, scalars,
ix, python_numbers (and, through kernelargs, labels and row_values).
"""
from __future__ import annotations

import re

import numpy as np

from ..ir import Call, Const, Name
from ..passes.shapes import Arr
from .functions import HELPER_NAMES, KERNEL_FUNCTIONS
from .functions import emit as emit_function
from .gather import ONE_HOT
from .classify import COMPARISONS

_INFIX = {"add": "+", "sub": "-", "mul": "*", "truediv": "/", "iadd": "+"}
_CMP = {"gt": ">", "ge": ">=", "lt": "<", "le": "<=", "eq": "==", "ne": "!="}
_UNARY = {"np.exp": "tl.exp", "np.log": "tl.log", "np.sqrt": "tl.sqrt", "np.abs": "tl.abs", "abs": "tl.abs",
          "np.sin": "tl.sin", "np.cos": "tl.cos", "np.tanh": "_tanh"}

# names kernels use for themselves: a program variable with one of these names gets a trailing "_"
_RESERVED = {"pid", "pid_m", "pid_n", "pid_lin", "offs", "mask", "rows", "cols", "acc", "a", "b", "ks", "k0", "M",
             "N", "K", "BM", "BN", "BK", "BLOCK", "ACC", "tl", "triton", "scalars_ptr", "partials_ptr", "kmask",
             "row_ok", "c0", "i", "rb"}
# suffixes of the names a kernel derives from a program variable's (row reductions' accumulators
# `m_acc`, `m_lanes`, `m_nan`; labels' `labels_col`, `labels_row`, `labels_bad`; row values, outputs,
# strides): a program variable ending in one gets a trailing "_", so it can never be one of them
_DERIVED = r".*_(acc|lanes|nan|nan_lanes|col|row|bad|rowval|out|ptr|lab|lab_s|rv|rv_s|[os]\d+)"


def local_name(n):
    """The kernel-local variable for program variable n (never one of the kernel's own names, nor a
    name the kernel derives from another program variable).  One-to-one: a name that is renamed,
    or that ends in "_" already, gets a trailing "_", so `mask` (-> `mask_`) and a program's own
    `mask_` (-> `mask__`) stay two variables; the kernel's own names never end in "_"."""
    if n in _RESERVED or n in HELPER_NAMES or n.endswith("_") or re.fullmatch(
            r"s\d+(_hi|_lo|_arg)?|v_\d+|.*_partial_\d+|_tanh|_f64|" + _DERIVED, n):
        return n + "_"
    return n


def fp32_exact(v) -> bool:
    return float(np.float32(v)) == float(v) and abs(v) < 1e30


class KernelExpressions:
    """`ex(e)`: the kernel variable (or literal, or scalar slot) holding IR expression e."""

    def fresh(self, base):
        self.counter += 1
        return f"{base}_{self.counter}"

    def scalar_slot(self, key):
        if key not in self.scalars:
            self.scalars.append(key)
        return f"s{self.scalars.index(key)}"

    def leaf(self, n):
        if n in self.env:
            return self.env[n]
        v = self.shapes.get(n)
        if isinstance(v, Arr) and v.shape not in ((), None):  # an array: one tile load; else a scalar slot
            var = local_name(n)
            if n not in self.arrays:  # a rows kernel loads it again in each of its loops
                self.arrays.append(n)
            self.passes[n] = self.passes.get(n, 0) + 1  # for the byte count: reads of the whole array
            rows, cols, mask = self.ix
            load = f"tl.load({n}_ptr + {rows} * {n}_s0 + {cols} * {n}_s1, mask={mask}, other=0.0)"
            if v.dtype is not None and np.dtype(v.dtype).kind in "iub":
                # numpy computes an integer array in float arithmetic in the float's precision (float64
                # for Python numbers): the loaded integers are converted to the kernel's float type
                load = f"{load}.to({self.dt})"
            self.lines.append(f"{var} = {load}")
            self.env[n] = var
            return var
        return self.scalar_slot(("name", n))

    def const(self, v):
        if isinstance(v, bool):
            return "1.0" if v else "0.0"
        if isinstance(v, int) or fp32_exact(v):
            return repr(float(v))
        return self.scalar_slot(("const", float(v)))

    def ex(self, e, bool_ok=False):
        if isinstance(e, Name):
            return self.leaf(e.id)
        if isinstance(e, Const):
            return self.const(e.value)
        assert isinstance(e, Call), e
        op = e.op
        folded = _constant_value(e)
        if folded is not None:  # numbers only (`np.log(2.0)`): numpy's value, not the kernel's float32 literal math
            return self.const(folded)
        if op in ("stop_gradient", "pos"):
            return self.ex(e.args[0])
        if op in _INFIX:
            a, b = self.ex(e.args[0]), self.ex(e.args[1])
            inv = self.reciprocals.get(b) if op == "truediv" else None
            if inv is not None:  # a row value's reciprocal, computed once before the loop (rowloop.py)
                self.reciprocals_used.add(inv)
                return self.bind(f"{a} * {inv}")
            return self.bind(f"{a} {_INFIX[op]} {b}")
        if op == "neg":
            return self.bind(f"-{self.ex(e.args[0])}")
        if op in _CMP:
            a, b = self.ex(e.args[0]), self.ex(e.args[1])
            cond = f"({a} {_CMP[op]} {b})"
            return cond if bool_ok else self.bind(f"{cond}.to({self.dt})")
        if op == "np.where":
            c = self.ex(e.args[0], bool_ok=True)
            if not (isinstance(e.args[0], Call) and e.args[0].op in COMPARISONS):
                c = f"({c} != 0)"
            # (in the kernel's float type: two literals alone would make a float32 tensor, and a
            # float64 kernel then computed on in float32, 1.8e-6 off in a fuzzed program)
            return self.bind(f"tl.where({c}, {self.ex(e.args[1])}, {self.ex(e.args[2])}).to({self.dt})")
        if op in _UNARY:
            return self.bind(f"{_UNARY[op]}({self.ex(e.args[0])})")
        if op == "np.square":
            a = self.ex(e.args[0])
            return self.bind(f"{a} * {a}")
        if op == "pow":
            a = self.ex(e.args[0])
            p = e.args[1].value
            if p == 0.5:
                return self.bind(f"tl.sqrt({a})")
            if p == -1:
                return self.bind(f"1.0 / {a}")
            if p == -2:
                return self.bind(f"1.0 / ({a} * {a})")
            return self.bind(" * ".join([a] * int(p)))
        if op in ("np.maximum", "np.minimum"):
            fn = "tl.maximum" if op == "np.maximum" else "tl.minimum"
            a, b = self.ex(e.args[0]), self.ex(e.args[1])
            if _is_number(e.args[0]):  # tl.maximum wants the tensor first for broadcasting
                a, b = b, a
            # numpy propagates a NaN from either side; tl.maximum's default drops it
            return self.bind(f"{fn}({a}, {b}, propagate_nan=tl.PropagateNan.ALL)")
        if op == ONE_HOT:  # np.zeros_like + np.add.at(g, (np.arange(M), labels), c): c where the column is the label
            lab = self.label(e.args[0].id)
            return self.bind(f"tl.where(cols == {lab}, {self.one_hot_value(e)}, 0.0).to({self.dt})")
        if op in KERNEL_FUNCTIONS:  # issue 11's elementwise functions (functions.py)
            return emit_function(self, e)
        if op == "np.sign":
            a = self.ex(e.args[0])
            # numpy: the sign of NaN is NaN (so is abs's gradient there), not 0
            return self.bind(f"tl.where({a} > 0, 1.0, tl.where({a} < 0, -1.0, tl.where({a} == 0, 0.0, {a}))).to({self.dt})")
        raise NotImplementedError(op)

    def one_hot_value(self, e):
        """The value c of one_hot_rows(labels, c): a scalar, or one value per row (loaded once)."""
        per_row = isinstance(e.args[1], Name) and e.args[1].id not in self.python_numbers and getattr(
            self.shapes.get(e.args[1].id), "shape", ()) != ()
        return self.row_value(e.args[1].id) if per_row else self.ex(e.args[1])

    def bind(self, text):
        var = self.fresh("v")
        self.lines.append(f"{var} = {text}")
        return var


def _is_number(e):
    return isinstance(e, Const) and isinstance(e.value, (int, float))


_FOLD = {"add": np.add, "sub": np.subtract, "mul": np.multiply, "truediv": np.true_divide, "pow": np.power,
         "neg": np.negative, "pos": np.positive, "abs": np.abs}


def _constant_value(e):
    """The float value of a call on numbers alone, computed as the numpy backend computes it (float64
    numbers), or None.  In a kernel `tl.log(2.0)` is a float32 computation: 3.8e-9 off in float64."""
    if not isinstance(e, Call) or e.kwargs or not e.args:
        return None
    args = []
    for a in e.args:
        v = a.value if isinstance(a, Const) else _constant_value(a)
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            return None
        args.append(np.float64(v))
    fn = _FOLD.get(e.op) or (getattr(np, e.op[3:], None) if e.op.startswith("np.") and e.op.count(".") == 1 else None)
    if not isinstance(fn, np.ufunc) or e.op in COMPARISONS:
        return None
    with np.errstate(all="ignore"):
        v = fn(*args)
    return float(v) if isinstance(v, np.floating) else None
