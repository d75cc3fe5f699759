"""A list's name bound again once the list is built (`traj = np.array(traj)`), and a second name
given to a built list (`joints = forward_kinematics(angles)` once the helper is inlined: `joints =
forward_kinematics_joints`).

ad/lists.py follows a list built at run time through its one name, which may only be appended to
or popped from.  Python lets the name move on to another value once the list is done; this pass
gives that value a name of its own (`traj_2 = np.array(traj)`, and every later read of traj reads
traj_2), so the list keeps its name.

A list made again under its name at the top level (`ext = []` of a helper inlined twice) is the
list the name holds from there on: the name is renamed from that statement on (`ext_2`).

Guarantee: only a binding at the top level of the function (not in a loop or a branch, where
which value the name holds would depend on the path) after which no statement appends to or pops
from the list is renamed; the renamed reads are exactly those after it, in order.  Anything else
is left as it was (and ad/lists.py refuses it with its message).

A second name `alias = L` (at the top level) is read as L itself: the statement goes and every
later read of alias reads L.  Both names hold one object, so this is exact as long as neither name
is bound to anything else later (L may still be appended to or popped from: alias would see that
too); otherwise the statement is left to ad/lists.py's refusal.
"""
from __future__ import annotations

from dataclasses import replace

from .. import ir
from ..ir import Assign, Call, ListExpr, Name
from .normalize import _fresh, rename_block


def rename_rebound_lists(fn: ir.Function) -> ir.Function:
    body = list(fn.body)
    lists = {s.target for s in body if isinstance(s, Assign) and len(s.targets) == 1 and s.value == ListExpr(())}
    if not lists:
        return fn
    taken = set(fn.params) | set(ir.all_writes(body)) | set(ir.all_reads(body))
    body = _second_lists_renamed(body, taken)
    lists = {s.target for s in body if isinstance(s, Assign) and len(s.targets) == 1 and s.value == ListExpr(())}
    body = _aliases_read_as_lists(body, lists)
    for i, s in enumerate(body):
        if not (isinstance(s, Assign) and len(s.targets) == 1 and s.target in lists and s.value != ListExpr(())
                and not (isinstance(s.value, Call) and s.value.op in ("list_append", "list_pop"))):
            continue
        name = s.target
        later = body[i + 1:]
        if any(isinstance(x, Assign) and name in x.targets for x in ir.walk(later)) or \
                any(isinstance(x, ir.SetItem) and x.target == name for x in ir.walk(later)):
            continue  # (bound or changed again later: left to ad/lists.py's refusal)
        new = _fresh(name, taken)  # (name itself is taken: name_2, name_3, ...)
        mapping = {name: Name(new)}
        body[i] = replace(s, targets=(new,))
        body[i + 1:] = [_renamed(x, mapping) for x in later]
    return replace(fn, body=tuple(body))


def _second_lists_renamed(body: list, taken: set) -> list:
    """A name bound to a new list `[]` again at the top level (a helper building a list, inlined
    twice): the new list and everything after it under a name of its own, since that is the list
    the name holds from there on."""
    made = set()
    for i, s in enumerate(body):
        if isinstance(s, Assign) and len(s.targets) == 1 and s.value == ListExpr(()):
            if s.target in made:
                new = _fresh(s.target, taken)
                taken.add(new)
                body[i:] = rename_block(body[i:], {s.target: new})
            made.add(body[i].target)
    return body


def _aliases_read_as_lists(body: list, lists: set) -> list:
    i = 0
    while i < len(body):
        s = body[i]
        if isinstance(s, Assign) and len(s.targets) == 1 and isinstance(s.value, Name) and s.value.id in lists \
                and s.target != s.value.id and not _bound_later(s.target, s.value.id, body[i + 1:]):
            mapping = {s.target: s.value}
            body[i:] = [_renamed(x, mapping) for x in body[i + 1:]]
            continue
        i += 1
    return body


def _bound_later(alias: str, name: str, later: list) -> bool:
    """alias bound in any way, or name bound to something other than itself grown or shrunk."""
    for x in ir.walk(later):
        if alias in ir.stmt_writes(x):
            return True
        if name in ir.stmt_writes(x) and not (isinstance(x, Assign) and isinstance(x.value, Call)
                                              and x.value.op in ("list_append", "list_pop")):
            return True
    return False


def _renamed(s, mapping):
    """s with the reads of mapping's names renamed (s binds none of them)."""
    return ir.map_exprs(s, lambda e: ir.substitute(e, mapping))
