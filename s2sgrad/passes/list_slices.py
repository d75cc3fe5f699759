"""A slice of a list built at run time, read element by element: `for t, h in enumerate(hs[1:])`.

`tail = hs[1:]` makes a new list, which the reverse sweep's list adjoints (ad/lists.py) cannot
follow; but a slice that is only iterated or indexed reads elements of hs at positions known from
its bounds.  This pass writes it so: `tail_at = range(len(hs))[1:]` (the positions, a range), each
`h = tail[i]` as `h_at = tail_at[i]; h = hs[h_at]` (a read of hs at a name, which ad/lists.py
differentiates), and `len(tail)` as `len(tail_at)`.

Guarantee: applied only to a name bound once, to a slice of a list bound to `[]` at the top level
(only appended to afterwards: the elements at those positions never change, so reading them later
reads what the slice held), and read only through `len(...)` and element reads; any other use
leaves the function as it was (and ad/lists.py refuses the slice with its message).
"""
from __future__ import annotations

from dataclasses import replace

from .. import ir
from ..ir import Assign, Call, ListExpr, Name, Slice
from .list_joins import appending_loop
from .normalize import _fresh


def list_copies_as_slices(fn: ir.Function) -> ir.Function:
    """fn with `list(hs[a:b])` and `list(hs)` of a list built at run time (a name bound to `[]`)
    written as the slice `hs[a:b]` (`hs[:]`), which is the new list list() makes; the container
    pass would refuse list() of something that is not a container known when compiling."""
    lists = {s.target for s in ir.walk(fn.body) if isinstance(s, Assign) and len(s.targets) == 1
             and s.value == ListExpr(())}
    if not lists:
        return fn

    def copy(e):
        if isinstance(e, Call) and e.op == "list" and len(e.args) == 1 and not e.kwargs:
            a = e.args[0]
            if isinstance(a, Name) and a.id in lists:
                return Call("getitem", (a, Slice(None, None, None)))
            if isinstance(a, Call) and a.op == "getitem" and not a.kwargs and isinstance(a.args[0], Name) \
                    and a.args[0].id in lists and isinstance(a.args[1], Slice):
                return a
        return e

    def block(body):
        out = []
        for s in body:
            if isinstance(s, Assign):
                s = replace(s, value=copy(s.value))
            out.append(ir.map_blocks(s, block))
        return out
    return replace(fn, body=tuple(block(fn.body)))


def rewrite_list_slices(fn: ir.Function) -> ir.Function:
    lists = {s.target for s in fn.body if isinstance(s, Assign) and len(s.targets) == 1
             and s.value == ListExpr(())}
    if not lists:
        return fn
    writes = ir.all_writes(fn.body)
    slices = {}
    for s in ir.walk(fn.body):
        v = s.value if isinstance(s, Assign) and len(s.targets) == 1 else None
        if isinstance(v, Call) and v.op == "getitem" and not v.kwargs and isinstance(v.args[0], Name) \
                and v.args[0].id in lists and isinstance(v.args[1], Slice) and writes.count(s.target) == 1:
            slices[s.target] = v.args[0].id
    taken = set(fn.params) | set(writes) | set(ir.all_reads(fn.body))
    copied = {n for n in slices if not _only_read_by_element(fn.body, n)}
    if copied:
        fn = _copied(fn, {n: slices[n] for n in copied}, taken)
    slices = {n: L for n, L in slices.items() if n not in copied}
    if not slices:
        return fn
    at = {n: _fresh(f"{n}_at", taken) for n in slices}

    def block(body):
        out = []
        for s in body:
            v = s.value if isinstance(s, Assign) and len(s.targets) == 1 else None
            if v is not None and s.target in slices:  # the slice itself: its positions
                rng = Call("range", (Call("len", (Name(slices[s.target]),)),))
                out.append(replace(s, targets=(at[s.target],), value=Call("getitem", (rng, v.args[1]))))
                continue
            if isinstance(v, Call) and v.op == "getitem" and isinstance(v.args[0], Name) and v.args[0].id in slices:
                n = v.args[0].id
                pos = _fresh(f"{s.target}_at", taken)  # an element: its position, then the list's element there
                out.append(Assign((pos,), Call("getitem", (Name(at[n]), v.args[1])), s.loc))
                out.append(replace(s, value=Call("getitem", (Name(slices[n]), Name(pos)))))
                continue
            s = _lens(s, at)
            out.append(ir.map_blocks(s, block))
        return out
    return replace(fn, body=tuple(block(fn.body)))


def _copied(fn, slices, taken):
    """fn with each top-level `tail = hs[a:b]` read otherwise than by element (np.array(tail),
    sum(tail), a helper's argument) written as the new list it is: `tail = []` and a loop
    appending hs[k] for k in range(len(hs))[a:b] -- a list built by appends, which ad/lists.py
    differentiates.  Such a slice inside a loop or branch is left to ad/lists.py's refusal."""
    body = []
    for s in fn.body:
        if isinstance(s, Assign) and len(s.targets) == 1 and s.target in slices:
            rng = Call("getitem", (Call("range", (Call("len", (Name(slices[s.target]),)),)), s.value.args[1]))
            body += [replace(s, value=ListExpr(())),
                     appending_loop(s.target, Name(slices[s.target]), rng, s.loc, taken)]
        else:
            body.append(s)
    return replace(fn, body=tuple(body))


def _only_read_by_element(body, n) -> bool:
    """Whether every read of n is `len(n)` or a statement `x = n[i]` (i not a slice)."""
    for s in ir.walk(body):
        if n not in ir.stmt_reads(s):
            continue
        v = s.value if isinstance(s, Assign) and len(s.targets) == 1 else None
        if isinstance(v, Call) and v.op == "getitem" and isinstance(v.args[0], Name) and v.args[0].id == n:
            if s.targets[0] == n or isinstance(v.args[1], Slice) or n in ir.expr_names(v.args[1]):
                return False
            continue
        if any(not _len_only(e, n) for e in ir.exprs_of(s)):
            return False
    return True


def _len_only(e, n) -> bool:
    if isinstance(e, Name):
        return e.id != n
    if isinstance(e, Call):
        if e.op == "len" and len(e.args) == 1 and isinstance(e.args[0], Name) and e.args[0].id == n:
            return True
        return all(_len_only(a, n) for a in e.args) and all(_len_only(v, n) for _, v in e.kwargs)
    if isinstance(e, (ir.Tuple, ListExpr)):
        return all(_len_only(x, n) for x in e.elts)
    return n not in ir.expr_names(e) if isinstance(e, ir.Expr) else True


def _lens(s, at):
    """s with len(n) of each slice n read as len(n_at)."""
    mapping = {n: Name(a) for n, a in at.items()}
    for f in ("value", "iter", "test"):
        e = getattr(s, f, None)
        if isinstance(e, ir.Expr) and any(n in ir.expr_names(e) for n in at):
            s = replace(s, **{f: ir.substitute(e, mapping)})
    return s
