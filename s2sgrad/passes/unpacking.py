"""The length check of tuple unpacking (`a, b = v`), as Python makes it.

The front end lowers `a, b = v` to `a = v[0]; b = v[1]` after an `unpack_count(v, 2)` mark.  A
container known when compiling is checked by the container pass (passes/flatten_stmts.py); every
other value here, once shapes are inferred: an array of a known first length, a shape or a tuple
known when compiling is checked now (a mismatch is refused at the line, where Python raises
ValueError; a 0-d array or a number cannot be unpacked at all), and the mark dropped; a length known
only at run time (a list built by append) becomes an `assert len(v) == 2` in the generated code.
Guarantee: no unpacking binds fewer names than the value has items, or more, without an error.
"""
from __future__ import annotations

from dataclasses import replace

from .. import ir
from ..errors import UnsupportedSyntaxError
from ..ir import Call, Const, ExprStmt, Name
from .abstract import Arr, Known, PyNum


def is_mark(s) -> bool:
    return isinstance(s, ExprStmt) and isinstance(s.value, Call) and s.value.op == "unpack_count"


def check_unpack_counts(fn: ir.Function, shapes) -> ir.Function:
    """fn with every unpacking mark checked against the inferred value (see the module docstring)."""
    def block(body):
        out = []
        for i, s in enumerate(body):
            if not is_mark(s):
                out.append(ir.map_blocks(s, block))
                continue
            v, n = s.value.args[0], s.value.args[1].value
            follow = body[i + 1] if i + 1 < len(body) else None  # `a = v[0]`, which reads v as the mark does
            value = shapes.before(follow, v.id) if isinstance(v, Name) and follow is not None else None
            length = _length(value, s.loc)
            if length is None:
                msg = Const(f"unpacking into {n} names: the value has another length")
                out.append(ExprStmt(Call("assert", (Call("eq", (Call("len", (v,)), Const(n))), msg)), s.loc))
            elif length != n:
                raise UnsupportedSyntaxError(f"unpacking {length} values into {n} names", s.loc)
        return out
    return replace(fn, body=tuple(block(fn.body)))


def _length(value, loc):
    """The number of items unpacking value gives, None when only the run time knows it."""
    if isinstance(value, Arr) and value.shape is not None:
        if not value.shape:
            raise UnsupportedSyntaxError("unpacking a 0-d array or a number (it has no items)", loc)
        return value.shape[0]
    if isinstance(value, Known):
        if isinstance(value.value, (tuple, list)):
            return len(value.value)
        raise UnsupportedSyntaxError(f"unpacking a {type(value.value).__name__} (it has no items)", loc)
    if isinstance(value, PyNum):
        raise UnsupportedSyntaxError("unpacking a number (it has no items)", loc)
    return None
