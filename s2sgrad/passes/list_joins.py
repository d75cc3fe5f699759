"""A new list joined from lists built at run time: `trial = hazards + [h]`, `both = xs + ys`,
`grown = [h0] + hs`, `mine = hs.copy()`, and `mine = list(hs)` (`hs[:]`) appended to afterwards.

Python makes a new list holding the same element objects, in order.  The reverse sweep's list
adjoints (ad/lists.py) follow a list only through `[]`, append and pop, so this pass writes the
join as that: `trial = []`, a loop appending `hazards[k]` for k in range(len(hazards)), then
`trial.append(h)` -- the list ad/lists.py differentiates, the joined list's adjoint flowing back
into each operand's elements.

Guarantee: applied only where every operand is a list literal or a name bound to a run-time list
(bound to `[]` somewhere in the function, or itself such a join) and the target is none of the
operands (`hs = hs + [h]` is left as it was); the statements made compute the same list, element
for element, at the same point of the program.  Where the new list is bound in a way ad/lists.py
cannot follow (twice in a loop, say), that module refuses it at the user's line as before.
"""
from __future__ import annotations

from dataclasses import replace

from .. import ir
from ..ir import Assign, Call, ListExpr, Name
from .normalize import _fresh


def joins_as_appends(fn: ir.Function) -> ir.Function:
    lists = {s.target for s in ir.walk(fn.body) if isinstance(s, Assign) and len(s.targets) == 1
             and s.value == ListExpr(())}
    if not lists:
        return fn
    # (a whole slice only read by element is positions into hs: passes/list_slices.py)
    changed = {s.target for s in ir.walk(fn.body) if isinstance(s, Assign) and isinstance(s.value, Call)
               and s.value.op in ("list_append", "list_pop")}
    grew = True
    while grew:  # (a join of joins: both = xs + ys; three = both + [z])
        joined = {s.target for s in ir.walk(fn.body) if _operands(s, lists, changed) is not None}
        grew = bool(joined - lists)
        lists |= joined
    taken = set(fn.params) | set(ir.all_writes(fn.body)) | set(ir.all_reads(fn.body))

    def block(body):
        out = []
        for s in body:
            parts = _operands(s, lists, changed)
            if parts is None:
                out.append(ir.map_blocks(s, block))
                continue
            t = s.target
            out.append(replace(s, value=ListExpr(())))
            for p in parts:
                if isinstance(p, ListExpr):
                    out += [Assign((t,), Call("list_append", (Name(t), e)), s.loc) for e in p.elts]
                    continue
                out.append(appending_loop(t, p, Call("range", (Call("len", (p,)),)), s.loc, taken))
        return out
    return replace(fn, body=tuple(block(fn.body)))


def appending_loop(t, source, positions, loc, taken) -> ir.For:
    """`for k in positions: el = source[k]; t.append(el)` (fresh k and el, added to taken)."""
    k, el = _fresh(f"{t}_k", taken), _fresh(f"{t}_el", taken)
    steps = (Assign((el,), Call("getitem", (source, Name(k))), loc),
             Assign((t,), Call("list_append", (Name(t), Name(el))), loc))
    return ir.For(Name(k), positions, steps, loc)


def _operands(s, lists, changed):
    """The operands, in order, of a join `t = A + B` (or `t = A.copy()`, or `t = A[:]` where t is
    appended to or popped from) that this pass writes as appends; None for any other statement."""
    if not (isinstance(s, Assign) and len(s.targets) == 1 and not s.aug and isinstance(s.value, Call)
            and not s.value.kwargs):
        return None
    v = s.value
    if v.op == ".copy" and len(v.args) == 1:
        parts = list(v.args)
    elif v.op == "getitem" and len(v.args) == 2 and v.args[1] == ir.Slice(None, None, None) and s.target in changed:
        parts = [v.args[0]]
    elif v.op == "add" and len(v.args) == 2:
        parts = _flat_add(v)
    else:
        return None
    if not any(isinstance(p, Name) for p in parts) or any(
            not (isinstance(p, ListExpr) or isinstance(p, Name) and p.id in lists and p.id != s.target)
            for p in parts):
        return None
    return parts


def _flat_add(v):
    """The operands of a chain of `+` (xs + [a] + ys), left to right."""
    out = []
    for a in v.args:
        out += _flat_add(a) if isinstance(a, Call) and a.op == "add" and len(a.args) == 2 and not a.kwargs else [a]
    return out
