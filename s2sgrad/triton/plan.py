"""Kernel planning: which statements of a generated program become which fused kernel.

Input: the value-and-gradient IR the numpy backend generates (forward and adjoint in one function)
and the static shapes of its variables.  Output: a `Program` -- the same statements, where runs of
tensor work are replaced by `KernelGroup`s:

- **elementwise** statements over one iteration space (the result's shape; operands broadcast into
  it by strides) fuse into one kernel, forward and adjoint alike: a relu mask or `1 - t*t` rides
  along with whatever produced its inputs;
- **reductions** fuse with their elementwise producers: a whole-array sum (`np.sum(e)`, `e.sum()`,
  `np.mean(e)`) as per-program partial sums, a reduction along the last axis (`axis=-1/1`) by
  giving each program whole rows ("rows" layout), walked in column blocks, so later statements can
  use the result in the same kernel (softmax: max, exp, sum, divide in one kernel; rowloop.py);
- **matmul** `a @ b` (either operand may be a `.T` view: strides, no copy) becomes a `tl.dot` kernel,
  and the elementwise statements that follow over its result's shape become its epilogue;
- a statement may move up into an earlier kernel of the same block when nothing in between touches
  what it reads or writes (so `grad_h = grad_h_relu * (h > 0)` joins the matmul that made
  `grad_h_relu` even though another matmul was emitted in between);
- everything else stays host code (control flow, list records, indexing, small scalar arithmetic,
  unsupported primitives) and runs through torch.

Guarantee: executing the program's statements in order, with each group computing exactly its
statements' values, gives the same values as the input IR.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

import numpy as np

from .. import ir
from ..ir import Assign, Attr, Call, Const, For, If, Name, While, expr_names
from ..passes.shapes import UNKNOWN, Arr, Known, PyNum
from .functions import KERNEL_FUNCTIONS
from .gather import ONE_HOT, is_scalar, per_row, row_gather
from .prologue import can_take_prologue, take_prologue

# IR op -> how it prints in Triton (see codegen.py); everything here is elementwise
ELEMENTWISE = {"add", "sub", "mul", "truediv", "neg", "pos", "pow", "np.exp", "np.log", "np.sqrt",
               "np.abs", "abs", "np.sin", "np.cos", "np.tanh", "np.square", "np.maximum", "np.minimum",
               "np.where", "np.sign", "gt", "ge", "lt", "le", "eq", "ne", "iadd", "stop_gradient"} | KERNEL_FUNCTIONS
COMPARISONS = {"gt", "ge", "lt", "le", "eq", "ne"}
FULL_REDUCTIONS = {"np.sum", ".sum", "np.mean", ".mean"}
ROW_REDUCTIONS = {"np.sum", ".sum", "np.max", ".max", "np.mean", ".mean"}


@dataclass
class KernelGroup:
    """One fused kernel: its statements, layout and iteration space."""
    kind: str                      # "flat" | "rows" | "matmul"
    space: tuple                   # (M, N): 1-D spaces are (1, n)
    dtype: object                  # numpy dtype of the computation
    stmts: list = field(default_factory=list)
    matmul: Optional[tuple] = None  # (target, a_expr, b_expr, K)
    index: int = 0                 # position in the program (for names)
    reads_full_reduction: set = field(default_factory=set)
    # row reductions without keepdims: an (M,) result that numpy broadcasts along the LAST axis of an
    # (M, N) operand, not along the rows the kernel holds it for
    flat_row_results: set = field(default_factory=set)
    # whole-array sums of those (M,) results (`np.mean(x[np.arange(M), labels])`): per-program
    # partials of per-row values, taken once the rows are finished
    row_full: set = field(default_factory=set)
    # a product v @ B with v 1-D: v is one row of the tile (row stride 0), the result (N,)
    vector_left: bool = False
    # statements computing v per K block inside the product's loop (prologue.py)
    prologue: list = field(default_factory=list)

    def assigned(self):
        return [s.target for s in self.stmts]


@dataclass
class Program:
    fn: ir.Function
    groups: list          # KernelGroup, in order
    shapes: dict          # name -> abstract value


def _shape_of(v):
    if isinstance(v, Arr):
        return v.shape
    if isinstance(v, (PyNum, Known)):
        return ()
    return None


def _space(shape):
    if shape is None or len(shape) == 0 or len(shape) > 2:
        return None
    return (1, shape[0]) if len(shape) == 1 else tuple(shape)


class Planner:
    def __init__(self, shapes: dict):
        self.shapes = shapes
        self.groups = []

    # ----------------------------------------------------------------- classification
    def value(self, name):
        return self.shapes.get(name, UNKNOWN)

    def is_scalar_operand(self, name):
        v = self.value(name)
        return isinstance(v, (PyNum, Known)) and isinstance(getattr(v, "value", 0.0), (int, float)) or (
            isinstance(v, Arr) and v.shape == () and v.dtype is not None and np.dtype(v.dtype).kind in "fiub")

    def operand_fits(self, name, space):
        v = self.value(name)
        if self.is_scalar_operand(name):
            return True
        if not isinstance(v, Arr) or v.shape is None or len(v.shape) > 2 or v.dtype is None:
            return False
        if np.dtype(v.dtype).kind not in "fiub":
            return False
        s = (1,) * (2 - len(v.shape)) + tuple(v.shape)
        return all(a == b or a == 1 for a, b in zip(s, space))

    def elementwise(self, e, space) -> bool:
        if isinstance(e, Name):
            return self.operand_fits(e.id, space)
        if isinstance(e, Const):
            return isinstance(e.value, (int, float)) and not isinstance(e.value, bool)
        if isinstance(e, Call) and e.op == ONE_HOT:  # labels index rows: an (M,) array in an (M, N) space
            lab = self.value(e.args[0].id)
            return isinstance(lab, Arr) and lab.shape == (space[0],) and (
                is_scalar(e.args[1], self.shapes) or per_row(e.args[1], space[0], self.shapes))
        if isinstance(e, Call) and e.op in ELEMENTWISE and not e.kwargs:
            if e.op == "pow":
                exp = e.args[1]
                if not (isinstance(exp, Const) and exp.value in (0.5, 1, 2, 3, 4, -1, -2)):
                    return False
            return all(self.elementwise(a, space) for a in e.args)
        return False

    def classify(self, s):
        """(kind, space, extra) for a statement a kernel can compute, else None."""
        if not (isinstance(s, Assign) and len(s.targets) == 1 and isinstance(s.value, Call)):
            return None
        tv = self.value(s.target)
        if not (isinstance(tv, Arr) and tv.dtype is not None and np.dtype(tv.dtype).kind in "fbi"):
            return None
        v = s.value
        if np.dtype(tv.dtype).kind != "f" and not self._mask_statement(v, np.dtype(tv.dtype)):
            return None
        if v.op == "matmul":
            a, b = v.args
            sa, sb = self._mm_operand(a), self._mm_operand(b)
            names = [set(expr_names(a)), set(expr_names(b))]
            if names[0] == names[1]:
                return None  # x.T @ x: one pointer with two stride orders; left to torch
            if sa is not None and sb is not None and sa[1] == sb[0] and tv.shape == (sa[0], sb[1]):
                return ("matmul", (sa[0], sb[1]), sa[1])
            vec = self._vector_operand(a, tv.dtype)  # v @ B: a (1, K) tile row, the result's space (1, N)
            if vec is not None and sb is not None and vec == sb[0] and tv.shape == (sb[1],):
                return ("matmul", (1, sb[1]), vec)
            return None
        if row_gather(v, self.shapes):  # x[np.arange(M), labels]: a row reduction (gather.py)
            return ("row", tuple(self.value(v.args[0].id).shape), ("pick", False))
        if v.op in FULL_REDUCTIONS | ROW_REDUCTIONS and len(v.args) == 1:
            inner = v.args[0]
            src = self._expr_space(inner)
            if src is None or not self.elementwise(inner, src):
                return None
            axis = v.kw("axis")
            keep = v.kw("keepdims")
            keep = bool(keep.value) if isinstance(keep, Const) else False
            if axis is None and v.op in FULL_REDUCTIONS and tv.shape == ():
                return ("full", src, v.op)
            if isinstance(axis, Const) and axis.value in (-1, 1) and src[0] >= 1 and self._rank(inner) == 2:
                return ("row", src, (v.op, keep))
            return None
        space = _space(tv.shape)
        if space is None or not self.elementwise(v, space):
            return None
        return ("ew", space, None)

    def _mask_statement(self, v, dtype):
        """A boolean comparison of float operands, or an integer row count of such booleans (the
        max's adjoint: `mask = x == m; n = np.sum(mask, axis=1, keepdims=True)`).  Computed in the
        kernel's float type (0/1, exact counts), stored with numpy's dtype where read outside."""
        if dtype.kind == "b":
            return v.op in COMPARISONS
        return (dtype == np.dtype(np.int64) and v.op in ("np.sum", ".sum") and v.kw("axis") is not None
                and isinstance(v.args[0], Name) and np.dtype(getattr(self.value(v.args[0].id), "dtype", None) or
                                                             "f8").kind == "b")

    def _rank(self, e):
        s = self._expr_shape(e)
        return None if s is None else len(s)

    def _expr_shape(self, e):
        shapes = []
        for n in set(expr_names(e)):
            v = self.value(n)
            s = _shape_of(v)
            if s is None:
                return None
            shapes.append(s)
        try:
            return tuple(np.broadcast_shapes(*shapes)) if shapes else ()
        except ValueError:
            return None

    def _expr_space(self, e):
        s = self._expr_shape(e)
        return _space(s) if s is not None else None

    def _vector_operand(self, e, dtype):
        """The length of a 1-D float operand of `dtype` on the left of a product (codegen loads it as
        one row: row stride 0), else None."""
        v = self.value(e.id) if isinstance(e, Name) else None
        if isinstance(v, Arr) and v.shape is not None and len(v.shape) == 1 and v.dtype is not None \
                and np.dtype(v.dtype) == np.dtype(dtype) and np.dtype(dtype).kind == "f":
            return v.shape[0]
        return None

    def _mm_operand(self, e):
        """(rows, cols) of a 2-D matmul operand: a Name or a `.T` of one."""
        if isinstance(e, Call) and e.op == "@T" and isinstance(e.args[0], Name):
            s = _shape_of(self.value(e.args[0].id))
            return (s[1], s[0]) if s is not None and len(s) == 2 else None
        if isinstance(e, Attr) and e.attr == "T" and isinstance(e.value, Name):
            s = _shape_of(self.value(e.value.id))
            return (s[1], s[0]) if s is not None and len(s) == 2 else None
        if isinstance(e, Name):
            s = _shape_of(self.value(e.id))
            return tuple(s) if s is not None and len(s) == 2 else None
        return None

    # ----------------------------------------------------------------- grouping
    def dtype_of(self, s):
        return np.dtype(self.value(s.target).dtype)

    def can_join(self, g, s, cls):
        kind, space, extra = cls
        dt = self.dtype_of(s)
        if self._row_level_full(g, s, cls):
            return True
        if kind == "matmul" or g.space != space or (g.dtype != dt and dt.kind == "f"):
            return False  # a mask (bool, int count) joins a float kernel of its space, computed in its type
        if set(expr_names(s.value)) & g.reads_full_reduction:
            return False  # a whole-array result is only known once every program has finished
        if set(expr_names(s.value)) & g.flat_row_results:
            return False  # read back from memory, broadcast as numpy broadcasts an (M,) array
        if set(expr_names(s.value)) & {p.target for p in g.prologue}:
            return False  # a prologue value is a (K,) block inside the product's loop, not a tile of the result
        if kind == "row":
            return g.kind in ("flat", "rows")  # any width: rows kernels walk the row in blocks
        if kind == "full":
            return True
        return True

    def _row_level_full(self, g, s, cls):
        """A whole-array sum of the group's own (M,) row results (and scalars): summed per program
        once its rows are finished."""
        if not (cls[0] == "full" and g.kind == "rows" and cls[1] == (1, g.space[0])
                and self.dtype_of(s) == g.dtype):
            return False
        arrays = {n for n in expr_names(s.value) if not self.is_scalar_operand(n)}
        return bool(arrays) and arrays <= g.flat_row_results

    def add(self, g, s, cls):
        kind = cls[0]
        if self._row_level_full(g, s, cls):
            g.row_full.add(s.target)
            g.reads_full_reduction.add(s.target)
            g.stmts.append(s)
            return
        if kind == "row" and g.kind == "flat":
            g.kind = "rows"
        if kind == "full":
            g.reads_full_reduction.add(s.target)
        if kind == "row" and not cls[2][1]:  # (op, keepdims)
            g.flat_row_results.add(s.target)
        g.stmts.append(s)

    def new_group(self, s, cls):
        kind, space, extra = cls
        layout = {"ew": "flat", "full": "flat", "row": "rows", "matmul": "matmul"}[kind]
        g = KernelGroup(layout, space, self.dtype_of(s))
        if kind == "matmul":
            g.matmul = (s.target, s.value.args[0], s.value.args[1], extra)
            g.vector_left = self._vector_operand(s.value.args[0], g.dtype) is not None
        else:
            self.add(g, s, cls)
            return g
        g.stmts.append(s)
        return g

    def block(self, body):
        """Plan one block: returns a list of statements and KernelGroups."""
        out = []
        for s in body:
            if isinstance(s, If):
                out.append(If(s.test, tuple(self.block(s.body)), tuple(self.block(s.orelse)), s.loc))
                continue
            if isinstance(s, For):
                out.append(For(s.target, s.iter, tuple(self.block(s.body)), s.loc))
                continue
            if isinstance(s, While):
                out.append(While(s.test, tuple(self.block(s.body)), s.loc))
                continue
            cls = self.classify(s)
            if cls is None:
                out.append(s)
                continue
            placed = False
            # try the groups of this block, newest first, while nothing in between conflicts
            between = []
            for i in range(len(out) - 1, -1, -1):
                item = out[i]
                if isinstance(item, KernelGroup) and self.can_join(item, s, cls) and (
                        not _conflicts(between, s) or self._hoist_scalars(out, i, s)):
                    self.add(item, s, cls)
                    placed = True
                    break
                if isinstance(item, KernelGroup) and can_take_prologue(self, item, s, cls) \
                        and not _conflicts(between, s):
                    take_prologue(item, s, cls)  # the product moves up to the group computing its vector
                    placed = True
                    break
                between.append(item)
                if not isinstance(item, (KernelGroup, Assign, ir.ExprStmt, ir.Comment, ir.Blank, ir.SetItem)):
                    break
            if not placed and self.dtype_of(s).kind == "f":  # a mask alone stays host code
                out.append(self.new_group(s, cls))
            elif not placed:
                out.append(s)
        return out


    def _hoist_scalars(self, out, i, s):
        """Move the scalar host statements after out[i] that s reads (the adjoint's seed
        `-grad_out / M`, known before the forward runs) up before out[i], so s can join that group.
        Only statements binding a Python number or a 0-d value, and only when nothing they pass
        reads or writes what they touch; out is changed only when every conflict goes away."""
        moved, rest = [], []
        for j in range(i + 1, len(out)):
            it = out[j]
            if not _conflicts([it], s):
                rest.append(it)
                continue
            if not (isinstance(it, Assign) and len(it.targets) == 1 and self.is_scalar_operand(it.target)
                    and not _conflicts([out[i]] + rest, it)):
                return False
            moved.append(it)
        if not moved:
            return False
        out[i:] = moved + [out[i]] + rest
        return True


def _reads_writes(item):
    if isinstance(item, KernelGroup):
        reads, writes = set(), set()
        for s in item.prologue + item.stmts:
            reads |= set(expr_names(s.value))
            writes.add(s.target)
        return reads, writes
    reads = set(ir.all_reads([item])) if isinstance(item, ir.Stmt) else set()
    writes = set(ir.all_writes([item])) if isinstance(item, ir.Stmt) else set()
    if isinstance(item, ir.ExprStmt):  # list.append(x) / np.add.at(g, ...) mutate their first argument
        first = item.value.args[0] if isinstance(item.value, Call) and item.value.args else None
        if isinstance(first, Name):
            writes.add(first.id)
    return reads, writes


def _conflicts(items, s):
    r, w = set(expr_names(s.value)), {s.target}
    for it in items:
        ir_, iw = _reads_writes(it)
        if (iw & r) or (iw & w) or (ir_ & w):
            return True
    return False


def plan(fn: ir.Function, shapes: dict) -> Program:
    p = Planner(shapes)
    body = p.block(fn.body)
    groups = [item for item in ir.walk(body) if isinstance(item, KernelGroup)]
    for i, g in enumerate(groups):
        g.index = i
    return Program(ir.Function(fn.name, fn.params, tuple(body), fn.defaults, fn.header, fn.loc), groups,
                   shapes)


__all__ = ["plan", "Program", "KernelGroup", "ELEMENTWISE"]
