"""A loop over a list built at run time, where the list grows after the loop or in a loop around it
(Runge-Kutta stages: `ks.append(f(y + h * sum(a * k for a, k in zip(row, ks))))`), gets its trip
count bound before it:

    for j in range(min(len(row), len(ks))):        n_ks = min(len(row), len(ks))
        ...                                  ->     for j in range(n_ks):
                                                        ...

so the reverse sweep runs it as a counted loop whose count is saved like any value a loop around it
binds again, not from the list's final length (ad/list_scopes.py refuses a loop that reads that
length before the list is complete).

Guarantee: the same passes as Python's: `range(...)` evaluates its arguments once, and a loop
whose own body appends to the list it iterates (where Python's iterator would see the new items) is
left as it is, for ad/list_scopes.py to refuse.
"""
from __future__ import annotations

from dataclasses import replace

from .. import ir
from ..ir import Assign, Call, ListExpr, Name
from .normalize import _fresh


def _appends(block) -> set:
    return {s.target for s in ir.walk(block) if isinstance(s, Assign) and isinstance(s.value, Call)
            and s.value.op in ("list_append", "list_pop")}


def count_list_loops(fn: ir.Function) -> ir.Function:
    lists = {s.target for s in ir.walk(fn.body) if isinstance(s, Assign) and len(s.targets) == 1
             and s.value == ListExpr(())} & _appends(fn.body)
    if not lists:
        return fn
    taken = set(fn.params) | set(ir.all_writes(fn.body)) | set(ir.all_reads(fn.body))

    def visit(block, later, enclosing):
        suffix, acc = [set()] * len(block), set()
        for i in range(len(block) - 1, -1, -1):  # the lists appended to after each statement of block
            suffix[i] = acc
            acc = acc | _appends([block[i]])
        out = []
        for i, s in enumerate(block):
            after = later | suffix[i]
            if isinstance(s, ir.For) and isinstance(s.iter, Call) and s.iter.op == "range" and not s.iter.kwargs:
                read = {n for n in ir.expr_names(s.iter) if n in lists}
                if read & (after | enclosing) and not read & _appends(s.body):
                    args = []
                    for a in s.iter.args:
                        if any(n in lists for n in ir.expr_names(a)):
                            n = _fresh(f"n_{sorted(read & set(ir.expr_names(a)))[0]}", taken)
                            taken.add(n)
                            out.append(Assign((n,), a, s.loc))
                            a = Name(n)
                        args.append(a)
                    s = replace(s, iter=replace(s.iter, args=tuple(args)))
            if isinstance(s, (ir.For, ir.While)):
                inner = enclosing | _appends(s.body)
                s = ir.map_blocks(s, lambda b, after=after, inner=inner: visit(list(b), after, inner))
            elif isinstance(s, ir.If):
                s = ir.map_blocks(s, lambda b, after=after: visit(list(b), after, enclosing))
            out.append(s)
        return out
    return replace(fn, body=tuple(visit(list(fn.body), set(), set())))
