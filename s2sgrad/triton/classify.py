"""Which statements a fused kernel can compute, and in what layout: a mixin of plan.Planner.

`classify(s)` answers for one statement on its own, from the static shapes only: ("ew", space,
None) for elementwise work over a 1-D or 2-D space, ("full", space, op) for a whole-array sum or
mean of such work, ("row", space, (op, keepdims)) for a reduction along the last axis (a row
gather, gather.py, is ("row", space, ("pick", False))), ("matmul", space, K) for a product of 2-D
operands (either may be a `.T` view) or of a 1-D vector and a matrix; None for everything a kernel
does not compute.  It never says yes to an operand a kernel cannot address by two strides (rank
> 2, an unknown shape, a non-numeric dtype), nor to a boolean or integer result other than a
comparison or a row count of booleans.
Whether the statement may join a particular kernel is plan.Planner's question.

The state it uses is the planner's: shapes (name -> abstract value).
"""
from __future__ import annotations

import numpy as np

from ..ir import Assign, Attr, Call, Const, Name, expr_names
from ..passes.shapes import UNKNOWN, Arr, Known, PyNum
from .functions import KERNEL_FUNCTIONS
from .gather import ONE_HOT, is_scalar, per_row, row_gather

# IR op -> how it prints in Triton (see kernelexpr.py); everything here is elementwise
ELEMENTWISE = {"add", "sub", "mul", "truediv", "neg", "pos", "pow", "np.exp", "np.log", "np.sqrt",
               "np.abs", "abs", "np.sin", "np.cos", "np.tanh", "np.square", "np.maximum", "np.minimum",
               "np.where", "np.sign", "gt", "ge", "lt", "le", "eq", "ne", "iadd", "stop_gradient"} | KERNEL_FUNCTIONS
COMPARISONS = {"gt", "ge", "lt", "le", "eq", "ne"}
FULL_REDUCTIONS = {"np.sum", ".sum", "np.mean", ".mean"}
ROW_REDUCTIONS = {"np.sum", ".sum", "np.max", ".max", "np.mean", ".mean"}


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


class Classifier:
    """Per-statement questions: what a statement computes, over which space, in which dtype."""

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
        if tv.shape is None:  # a name bound to two shapes (`x = np.sum(W, axis=1)` over a parameter x)
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

    def dtype_of(self, s):
        return np.dtype(self.value(s.target).dtype)
