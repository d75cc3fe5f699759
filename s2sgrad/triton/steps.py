"""Slices with negative steps in host code (torch's slices take positive steps only).

`x[a:b:-k]` holds the elements of a positive slice of x in reverse order, so the host reads it as
that positive slice, flipped along the slice's dimension of the result, and writes into it
(`x[::-1] = v`, the adjoint's `grad_x[::-1] += g`) by writing v, flipped the same way, into the
positive slice.  The positive slice is computed at run time from the axis's length
(`positive_index`), so bounds known only then (`x[n - 1::-2]`) work too.

`rewrite` (compile time) turns every host subscript whose index holds a slice with a step that is
not a positive constant into `np.getitem(x, index)` / `np.setitem(x, index, value, aug)`, the index
a tuple of `slice(...)` calls.  Where such an index also holds an element not known to be an
integer (an array index: numpy moves the dimensions of array indices, and the flip would have to
follow), it is refused at the user's line.
"""
from __future__ import annotations

from .. import ir
from ..errors import UnsupportedSyntaxError
from ..ir import Assign, Call, Const, For, If, Name, Return, SetItem, Tuple, While
from ..passes.abstract import Known, PyNum, runtime_int

_INT_OPS = ("add", "sub", "mul", "floordiv", "mod", "neg", "pos", "len")


def _positive_step(step):
    return step is None or isinstance(step, Const) and isinstance(step.value, int) and not isinstance(
        step.value, bool) and step.value > 0


def _needs_helper(index):
    elts = index.elts if isinstance(index, Tuple) else (index,)
    return any(isinstance(e, ir.Slice) and not _positive_step(e.step) for e in elts)


def _integer(e, shapes):
    if isinstance(e, Const):
        return isinstance(e.value, int) and not isinstance(e.value, bool)
    if isinstance(e, Name):
        v = shapes.get(e.id)
        return runtime_int(v) or isinstance(v, Known) and type(v.value) is int
    if isinstance(e, Call) and e.op in _INT_OPS:
        return e.op == "len" or all(_integer(a, shapes) for a in e.args)
    if isinstance(e, Call) and e.op == "getitem" and isinstance(e.args[0], ir.Attr) and e.args[0].attr == "shape":
        return True  # x.shape[0]
    return False


def _slice_call(e):
    if e.lower is None and e.upper is None and e.step is None:
        return Call("slice", (Const(None),))  # `:`
    return Call("slice", tuple(Const(None) if x is None else x for x in (e.lower, e.upper, e.step)))


def _index(index, shapes, loc):
    elts = index.elts if isinstance(index, Tuple) else (index,)
    for e in elts:
        if not (isinstance(e, ir.Slice) or isinstance(e, Const) and (e.value is None or e.value is Ellipsis)
                or _integer(e, shapes)):
            raise UnsupportedSyntaxError(
                f"backend='triton': a slice with a negative step beside the index {ir.expr_src(e)!r}, which "
                "may be an array: index in two steps (x[::-1][idx]), or use the numpy backend", loc)
    return Tuple(tuple(_slice_call(e) if isinstance(e, ir.Slice) else e for e in elts))


def _expr(e, shapes, loc):
    if isinstance(e, Call):
        args = tuple(_expr(a, shapes, loc) for a in e.args)
        kwargs = tuple((k, _expr(v, shapes, loc)) for k, v in e.kwargs)
        if e.op == "getitem" and _needs_helper(args[1]):
            return Call("np.getitem", (args[0], _index(args[1], shapes, loc)))
        return Call(e.op, args, kwargs)
    if isinstance(e, ir.Attr):
        return ir.Attr(_expr(e.value, shapes, loc), e.attr)
    if isinstance(e, Tuple):
        return Tuple(tuple(_expr(x, shapes, loc) for x in e.elts))
    if isinstance(e, ir.ListExpr):
        return ir.ListExpr(tuple(_expr(x, shapes, loc) for x in e.elts))
    if isinstance(e, ir.Slice):  # x[:len(y[::-1]) - 2]: a subscript inside a bound
        return ir.Slice(*(None if x is None else _expr(x, shapes, loc) for x in (e.lower, e.upper, e.step)))
    return e


def _range_counters(block):
    """Names bound only as the counter of a `for` over range(...) or reversed(range(...)): ints,
    where the shape inference joined the forward and the adjoint loop's into an unknown."""
    counters, other = set(), set()
    for s in ir.walk(block):
        if isinstance(s, For) and isinstance(s.target, Name) and isinstance(s.iter, Call) and (
                s.iter.op == "range" or s.iter.op == "reversed" and isinstance(s.iter.args[0], Call)
                and s.iter.args[0].op == "range"):
            counters.add(s.target.id)
        else:
            other.update(ir.stmt_writes(s))
    return counters - other


def rewrite(block, shapes):
    """The host block with subscripts by negative (or run-time) steps as np.getitem/np.setitem."""
    shapes = dict(shapes)
    shapes.update({n: PyNum(int) for n in _range_counters(block) if not isinstance(shapes.get(n), Known)})
    return _rewrite(block, shapes)


def _rewrite(block, shapes):
    out = []
    for s in block:
        if isinstance(s, Assign):
            s = Assign(s.targets, _expr(s.value, shapes, s.loc), s.loc)
        elif isinstance(s, SetItem):
            value, index = _expr(s.value, shapes, s.loc), _expr(s.index, shapes, s.loc)
            if _needs_helper(index):
                args = (Name(s.target), _index(index, shapes, s.loc), value)
                s = ir.ExprStmt(Call("np.setitem", args + ((Const(s.aug),) if s.aug else ())), s.loc)
            else:
                s = SetItem(s.target, index, value, s.loc, s.aug)
        elif isinstance(s, ir.ExprStmt):
            s = ir.ExprStmt(_expr(s.value, shapes, s.loc), s.loc)
        elif isinstance(s, If):
            s = If(_expr(s.test, shapes, s.loc), tuple(_rewrite(s.body, shapes)), tuple(_rewrite(s.orelse, shapes)),
                   s.loc)
        elif isinstance(s, For):
            s = For(s.target, _expr(s.iter, shapes, s.loc), tuple(_rewrite(s.body, shapes)), s.loc)
        elif isinstance(s, While):
            s = While(_expr(s.test, shapes, s.loc), tuple(_rewrite(s.body, shapes)), s.loc)
        elif isinstance(s, Return):
            s = Return(_expr(s.value, shapes, s.loc), s.loc)
        out.append(s)
    return out


def positive_index(index, shape):
    """(index, dims): index with every slice's step made positive over the same elements, and the
    dimensions of the result that come out reversed (to flip).  index: ints, slices, None, `...`."""
    index = index if isinstance(index, tuple) else (index,)
    real = sum(1 for i in index if i is not None and i is not Ellipsis)
    out, flips, dim, rdim = [], [], 0, 0
    for i in index:
        if i is Ellipsis:
            skip = len(shape) - real
            out.append(i)
            dim, rdim = dim + skip, rdim + skip
        elif i is None:
            out.append(i)
            rdim += 1
        elif isinstance(i, slice):
            start, stop, step = i.indices(shape[dim])
            count = len(range(start, stop, step))
            if step > 0 or count == 0:
                out.append(slice(start, stop, step) if count else slice(0, 0))
            else:
                last = start + (count - 1) * step  # the lowest position it reads
                out.append(slice(last, start + 1, -step))
                flips.append(rdim)
            dim, rdim = dim + 1, rdim + 1
        else:
            if getattr(i, "ndim", 0):
                raise UnsupportedSyntaxError("backend='triton': a slice with a negative step beside an array "
                                             "index: index in two steps (x[::-1][idx]), or use the numpy backend")
            out.append(i)
            dim += 1
    return tuple(out), flips
