"""Loop rewrites for the Triton host program: work a loop repeats that can be done once, or in place.

Two rewrites of the value-and-gradient IR, applied before it is split and planned (lower.py):

- **Loop-invariant products are hoisted.**  In `for t in ...:`, a product `A @ B[t]` (or `B[t] @ A`)
  whose operands are not written in the loop becomes one product before the loop, `A_B = B @ A.T`
  (`B @ A`), indexed per iteration: `A_B[t]` is row t of it, `B[t] @ A.T`, which is `A @ B[t]`
  (the RNN's `U @ xs[t]` for every t is one GEMM instead of T matrix-vector products).  Sound
  because A and B hold the same values at every iteration: neither is assigned in the loop, and
  either each is a parameter of the function (never written: the frontend refuses writes into
  arguments and aliases of written arrays), or the loop updates no array in place at all.  B is
  2-D, A 2-D; an index outside B's rows is outside the product's rows too (both raise IndexError).
  The sums are the same products, accumulated in another order by BLAS: values agree with the
  numpy backend to rounding (tests/test_triton_loops.py: 1e-12 in float64).
- **Rank-1 accumulations run in place.**  `g += np.outer(a, b)` (the adjoint of a matrix-vector
  product in a loop) becomes `g = add_outer(g, a, b)` (runtime.py): one `addr_` on the host
  (torch's BLAS ger) instead of an outer product allocated and then added -- the same in-place
  update of the same array -- when g is a 2-D tensor of shape (len(a), len(b)) and all three share
  one float dtype (checked at run time); otherwise the helper runs the statement it replaced.
"""
from __future__ import annotations

import numpy as np

from .. import ir
from ..ir import Assign, Attr, Call, Comment, ExprStmt, For, Name, SetItem
from ..passes.shapes import Arr


def rewrite_loops(fn, shapes):
    """fn with loop-invariant products hoisted and rank-1 accumulations in place (see the module)."""
    taken = set(ir.all_writes(fn.body)) | set(ir.all_reads(fn.body)) | set(fn.params)
    never_written = set(fn.params) - set(ir.all_writes(fn.body))
    rw = _Rewriter(shapes, taken, never_written)
    body = tuple(rw.block(fn.body))
    return ir.Function(fn.name, fn.params, body, fn.defaults, fn.header, fn.loc)


class _Rewriter:
    def __init__(self, shapes, taken, never_written):
        self.shapes = shapes
        self.taken = taken
        self.never_written = never_written

    def fresh(self, base):
        name, k = base, 1
        while name in self.taken:
            k += 1
            name = f"{base}_{k}"
        self.taken.add(name)
        return name

    def block(self, body):
        out = []
        for s in body:
            s = ir.map_blocks(s, self.block)
            if isinstance(s, For) and isinstance(s.target, Name):
                out += self.hoist_products(s)
            elif isinstance(s, Assign):
                out.append(self.in_place_outer(s))
            else:
                out.append(s)
        return out

    # ------------------------------------------------------------------ hoisting
    def hoist_products(self, loop):
        t = loop.target.id
        written = set(ir.all_writes(loop.body)) | {t}
        updates = _updates_in_place(loop.body)
        hoisted = {}  # (A expr, B name, side) -> name of the hoisted product
        pre, body = [], []
        for s in loop.body:
            if isinstance(s, Assign) and len(s.targets) == 1:
                views = []
                value = self._replace(s.value, t, written, updates, hoisted, pre, views, s.loc)
                body += views + [Assign(s.targets, value, s.loc, s.aug)]
            else:
                body.append(s)
        if not hoisted:
            return [loop]
        return pre + [For(loop.target, loop.iter, tuple(body), loop.loc)]

    def _invariant(self, name, written, updates):
        if name in written:
            return False
        return name in self.never_written or not updates

    def _replace(self, e, t, written, updates, hoisted, pre, views, loc):
        if not isinstance(e, Call):
            return e
        args = tuple(self._replace(a, t, written, updates, hoisted, pre, views, loc) for a in e.args)
        e = Call(e.op, args, e.kwargs)
        if e.op != "matmul":
            return e
        a, b = e.args
        for mat, row, side in ((a, b, "left"), (b, a, "right")):
            B = _row_of(row, t)
            A = _matrix_name(mat)
            if B is None or A is None or not self._fits(A, B, mat, side):
                continue
            if not (self._invariant(A, written, updates) and self._invariant(B, written, updates)):
                continue
            key = (repr(mat), B, side)
            if key not in hoisted:
                name = self.fresh(f"{A}_{B}")
                # row t of B @ A.T is A @ B[t]; row t of B @ A is B[t] @ A
                other = _transposed(mat) if side == "left" else mat
                pre.append(Comment(f"hoisted out of the loop: {ir.expr_src(e)} for every {t} "
                                   f"({A} and {B} are not written in the loop)", None))
                pre.append(Assign((name,), Call("matmul", (Name(B), other)), loc))
                hoisted[key] = name
            view = self.fresh(f"{hoisted[key]}_{t}")
            views.append(Assign((view,), Call("getitem", (Name(hoisted[key]), Name(t))), loc))
            return Name(view)
        return e

    def _fits(self, A, B, mat, side):
        a, b = self.shapes.get(A), self.shapes.get(B)
        if not (_float_matrix(a) and _float_matrix(b)) or np.dtype(a.dtype) != np.dtype(b.dtype):
            return False
        rows, cols = a.shape if isinstance(mat, Name) else a.shape[::-1]
        # left: A (H, D) @ B[t] (D,); right: B[t] (D,) @ A (D, H)
        return (cols if side == "left" else rows) == b.shape[1]

    # ------------------------------------------------------------------ in-place outer products
    def in_place_outer(self, s):
        v = s.value
        if not (len(s.targets) == 1 and isinstance(v, Call) and v.op == "iadd" and v.args[0] == Name(s.target)):
            return s
        inc = v.args[1]
        if not (isinstance(inc, Call) and inc.op == "np.outer" and len(inc.args) == 2 and not inc.kwargs):
            return s
        # the helper checks the shapes and dtypes at run time (they are not always inferred: a sum
        # over a loop of outer products of rows B[t]) and otherwise does exactly `g += np.outer(a, b)`
        return Assign(s.targets, Call("add_outer", (Name(s.target),) + inc.args), s.loc)


def _float_matrix(v):
    return (isinstance(v, Arr) and v.shape is not None and len(v.shape) == 2 and v.dtype is not None
            and np.dtype(v.dtype).kind == "f")


def _row_of(e, t):
    """B when e is `B[t]` with t the loop's variable."""
    if isinstance(e, Call) and e.op == "getitem" and isinstance(e.args[0], Name) and e.args[1] == Name(t):
        return e.args[0].id
    return None


def _matrix_name(e):
    if isinstance(e, Name):
        return e.id
    if isinstance(e, Attr) and e.attr == "T" and isinstance(e.value, Name):
        return e.value.id
    if isinstance(e, Call) and e.op == "@T" and len(e.args) == 1 and isinstance(e.args[0], Name):
        return e.args[0].id
    return None


def _transposed(e):
    return Call("@T", (e,)) if isinstance(e, Name) else Name(_matrix_name(e))


def _updates_in_place(body):
    """Whether a block updates an array in place: `x[i] = ...`, `x += ...`, np.add.at (list
    appends and pops change lists, not arrays)."""
    for s in ir.walk(body):
        if isinstance(s, SetItem):
            return True
        if isinstance(s, Assign) and isinstance(s.value, Call) and s.value.op in ("iadd", "isub", "imul", "itruediv"):
            return True
        if isinstance(s, Assign) and s.aug:
            return True
        if isinstance(s, ExprStmt) and isinstance(s.value, Call) and s.value.op not in (".append", ".pop", "print"):
            return True
    return False


__all__ = ["rewrite_loops"]
