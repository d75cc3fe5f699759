"""Products in one dtype: numpy promotes the operands of a matrix product (float32 @ float64 and
int64 @ float32 are float64, also in the adjoints of np.outer and np.dot of mixed arguments);
torch.matmul and tl.dot take one dtype and raised their own errors from inside the backend.

`promote_products(fn, shapes, fresh)` returns fn (itself when nothing changes) where
- a statement `c = a @ b` whose operands' dtypes are known and differ reads the narrower operand
  through a cast of its own, `t = np.astype(a, 'float64')`, so the product still reads names and
  may still be a kernel;
- in a program whose float arrays are not all of one dtype, every other product (one nested in another
  call, `np.transpose(x.T @ g)`, or one whose operands' dtypes are known only at run time) is
  written `np.matmul(a, b)`: the host's matmul (torchshapes.py) promotes as numpy does.
Programs of one float dtype without int operands in products are returned unchanged.
"""
from __future__ import annotations

import numpy as np

from .. import ir
from ..ir import Assign, Attr, Call, Const, For, If, Name, While
from ..passes.shapes import Arr


def operand_value(e, shapes):
    """The abstract value of a product operand (a name, or a `.T` of one), else None."""
    if isinstance(e, Call) and e.op == "@T":
        e = e.args[0]
    if isinstance(e, Attr) and e.attr == "T":
        e = e.value
    v = shapes.get(e.id) if isinstance(e, Name) else None
    return v if isinstance(v, Arr) else None


def promote_products(fn, shapes, fresh):
    floats = {np.dtype(v.dtype) for v in shapes.values()
              if isinstance(v, Arr) and v.dtype is not None and np.dtype(v.dtype).kind == "f"}
    mixed = len(floats) > 1  # (an int operand of a product is cast where its dtype is known)
    changed = []

    def dtype(e):
        v = operand_value(e, shapes)
        return np.dtype(v.dtype) if v is not None and v.dtype is not None else None

    def nested(e):
        """e with every product inside it written np.matmul (the host's, promoting)."""
        if not mixed:
            return e
        if isinstance(e, Call):
            args = tuple(nested(a) for a in e.args)
            kwargs = tuple((k, nested(v)) for k, v in e.kwargs)
            if e.op == "matmul":
                changed.append(e)
                return Call("np.matmul", args, kwargs)
            return Call(e.op, args, kwargs)
        if isinstance(e, Attr):
            return Attr(nested(e.value), e.attr)
        if isinstance(e, (ir.Tuple, ir.ListExpr)):
            return type(e)(tuple(nested(a) for a in e.elts))
        return e

    def product(s, out):
        a, b = s.value.args
        da, db = dtype(a), dtype(b)
        if da is None or db is None or not ({da.kind, db.kind} <= set("fiub")):
            return Assign(s.targets, nested(s.value), s.loc, s.aug)
        if da == db:
            return s
        wide = np.promote_types(da, db)
        ops = []
        for x, d in ((a, da), (b, db)):
            if d != wide:
                t = fresh("t")
                out.append(Assign((t,), Call("np.astype", (x, Const(str(wide)))), s.loc))
                x = Name(t)
            ops.append(x)
        changed.append(s)
        return Assign(s.targets, Call("matmul", tuple(ops)), s.loc, s.aug)

    def block(body):
        out = []
        for s in body:
            if isinstance(s, If):
                s = If(nested(s.test), block(s.body), block(s.orelse), s.loc)
            elif isinstance(s, For):
                s = For(s.target, nested(s.iter), block(s.body), s.loc)
            elif isinstance(s, While):
                s = While(nested(s.test), block(s.body), s.loc)
            elif isinstance(s, Assign) and isinstance(s.value, Call) and s.value.op == "matmul":
                s = product(s, out)
            elif isinstance(s, Assign):
                s = Assign(s.targets, nested(s.value), s.loc, s.aug)
            elif isinstance(s, ir.SetItem):
                s = ir.SetItem(s.target, nested(s.index), nested(s.value), s.loc, s.aug)
            elif isinstance(s, ir.Return) and s.value is not None:
                s = ir.Return(nested(s.value), s.loc)
            out.append(s)
        return tuple(out)

    body = block(fn.body)
    return ir.Function(fn.name, fn.params, body, fn.defaults, fn.header, fn.loc) if changed else fn
