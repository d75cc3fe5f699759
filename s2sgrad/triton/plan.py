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

from .. import ir
from ..ir import Assign, Call, For, If, Name, While, expr_names
from .classify import COMPARISONS, ELEMENTWISE, FULL_REDUCTIONS, ROW_REDUCTIONS, Classifier
from .prologue import can_take_prologue, take_prologue
from .ties import analyse as tie_analysis


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
    # computes a tie's operand separately: compiled without multiply-add contraction (ties.py)
    exact: bool = False

    def assigned(self):
        return [s.target for s in self.stmts]


@dataclass
class Program:
    fn: ir.Function
    groups: list          # KernelGroup, in order
    shapes: dict          # name -> abstract value


def _names_of(g):
    """Every name g's statements (and prologue) define or read."""
    out = set()
    for st in list(g.prologue) + list(g.stmts):
        out.add(st.target)
        out |= set(expr_names(st.value))
    return out


def _rebinds(g):
    """Whether one of g's statements rebinds a name an earlier one of its statements defined or read."""
    seen = {p.target for p in g.prologue}
    for st in g.stmts:
        if st.target in seen:
            return True
        seen |= {st.target} | set(expr_names(st.value))
    return False


def _transposed_operands(g):
    """Names of g's product operands that it reads through `.T`."""
    out = set()
    for e in g.matmul[1:3]:
        if isinstance(e, ir.Call) and e.op == "@T" and isinstance(e.args[0], ir.Name):
            out.add(e.args[0].id)
        elif isinstance(e, ir.Attr) and isinstance(e.value, ir.Name):
            out.add(e.value.id)
    return out


class Planner(Classifier):
    """Groups the statements `classify` accepts into kernels, block by block (classify.py says
    what one statement computes; this decides which kernel, if any, it joins)."""

    def __init__(self, shapes: dict, host_only=frozenset()):
        self.shapes = shapes
        self.groups = []
        self.host_only = host_only  # ids of statements kept on the host (ties.py)

    # ----------------------------------------------------------------- grouping
    def can_join(self, g, s, cls):
        kind, space, extra = cls
        dt = self.dtype_of(s)
        if self._row_level_full(g, s, cls):
            return True
        if kind == "matmul" or g.space != space or (g.dtype != dt and dt.kind == "f"):
            return False  # a mask (bool, int count) joins a float kernel of its space, computed in its type
        if (g.kind == "rows" and s.target in _names_of(g)) or (kind == "row" and g.kind == "flat" and _rebinds(g)):
            # a rows kernel's phases look statements up by target, one definition per name: a name
            # rebound after the kernel read or defined it starts a kernel of its own (flat and
            # product kernels run their statements in order, where rebinding is plain assignment)
            return False
        if g.kind == "matmul" and set(expr_names(s.value)) & _transposed_operands(g):
            # the kernel has one pair of strides per array: a `.T` operand's are swapped for the
            # product's loads, so an epilogue reading the same array would read its transpose
            # (np.tanh(A @ B.T) * B gave 3.17 where numpy gives 1.17)
            return False
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
            cls = None if id(s) in self.host_only else self.classify(s)
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
    host_only: set = set()
    while True:  # each round keeps more statements on the host, so this ends
        body = Planner(shapes, frozenset(host_only)).block(fn.body)
        more, exact = tie_analysis(body)
        more -= host_only
        if not more:
            break
        host_only |= more
    groups = [item for item in ir.walk(body) if isinstance(item, KernelGroup)]
    for i, g in enumerate(groups):
        g.index = i
        g.exact = id(g) in exact
    return Program(ir.Function(fn.name, fn.params, tuple(body), fn.defaults, fn.header, fn.loc), groups,
                   shapes)


# the op sets live with the classifier (classify.py); named here too, where importers found them
__all__ = ["plan", "Program", "KernelGroup", "Planner", "ELEMENTWISE", "COMPARISONS", "FULL_REDUCTIONS",
           "ROW_REDUCTIONS"]
