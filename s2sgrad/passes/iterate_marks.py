"""The front end's marks on a loop's item (frontend/control._item): `iterate` (a dict's key there,
not its value: passes/containers.py gives it) and `backwards` (the item of a loop over reversed(seq),
read at `len(seq) - 1 - k`).

Guarantee: `drop_iterate_marks` gives fn without them where the container pass does not run, the
item of a reversed loop read at a name of its own (`pos = len(seq) - 1 - k`: a list built at run
time is read at a name or a constant, ad/lists.py); nothing else changes.
"""
from __future__ import annotations

from dataclasses import replace

from .. import ir
from ..ir import Assign, Call, Const, ListExpr, Name, Tuple
from .normalize import _fresh


def drop_iterate_marks(fn: ir.Function) -> ir.Function:
    """fn without the front end's mark for this pass, where it does not run (a function with no
    container): the `iterate` mark of a loop's item (`x[i]`: a dict's key here).  The unpacking
    marks stay for passes/unpacking.py."""
    taken = set(fn.params) | set(ir.all_writes(fn.body)) | set(ir.all_reads(fn.body))

    def block(body):
        out = []
        for s in body:
            if isinstance(s, Assign) and backwards_item(s.value):  # h = hs[len(hs) - 1 - k]
                pos, item = reversed_position(s.value, taken)
                out.append(Assign((pos.target,), pos.value, s.loc))
                s = replace(s, value=item)
            s = ir.with_exprs(s, _unmarked)
            out.append(ir.map_blocks(s, block))
        return out
    return replace(fn, body=tuple(block(fn.body)))


def backwards_item(e) -> bool:
    """Whether e is the item of a loop over reversed(seq) (frontend/control._item)."""
    return isinstance(e, Call) and e.op == "getitem" and e.kw("backwards") is not None


def reversed_position(e, taken):
    """For the item `seq[k]` of pass k over reversed(seq): (`pos = len(seq) - 1 - k`, `seq[pos]`),
    pos a fresh name (a list built at run time is read at a name or a constant: ad/lists.py)."""
    seq, k = e.args
    name = _fresh(f"{k.id}_back" if isinstance(k, Name) else "back", taken)
    at = Call("sub", (Call("sub", (Call("len", (seq,)), Const(1))), k))
    return Assign((name,), at), Call("getitem", (seq, Name(name)))


def _unmarked(e):
    if isinstance(e, Call):
        return Call(e.op, tuple(_unmarked(a) for a in e.args),
                     tuple((k, _unmarked(v)) for k, v in e.kwargs
                          if not (e.op == "getitem" and k in ("iterate", "backwards"))))
    if isinstance(e, (Tuple, ListExpr)):
        return type(e)(tuple(_unmarked(x) for x in e.elts))
    return e
