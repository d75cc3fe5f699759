"""A list's name bound again once the list is built: `traj = np.array(traj)`.

ad/lists.py follows a list built at run time through its one name, which may only be appended to
or popped from.  Python lets the name move on to another value once the list is done; this pass
gives that value a name of its own (`traj_2 = np.array(traj)`, and every later read of traj reads
traj_2), so the list keeps its name.

Guarantee: only a binding at the top level of the function (not in a loop or a branch, where
which value the name holds would depend on the path) after which no statement appends to or pops
from the list is renamed; the renamed reads are exactly those after it, in order.  Anything else
is left as it was (and ad/lists.py refuses it with its message).
"""
from __future__ import annotations

from dataclasses import replace

from .. import ir
from ..ir import Assign, Call, ListExpr, Name
from .normalize import _fresh


def rename_rebound_lists(fn: ir.Function) -> ir.Function:
    body = list(fn.body)
    lists = {s.target for s in body if isinstance(s, Assign) and len(s.targets) == 1 and s.value == ListExpr(())}
    if not lists:
        return fn
    taken = set(fn.params) | set(ir.all_writes(body)) | set(ir.all_reads(body))
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


def _renamed(s, mapping):
    """s with the reads of mapping's names renamed (s binds none of them)."""
    fields = {f: ir.substitute(getattr(s, f), mapping) for f in ("value", "iter", "test", "index")
              if isinstance(getattr(s, f, None), ir.Expr)}
    s = replace(s, **fields) if fields else s
    return ir.map_blocks(s, lambda b: [_renamed(x, mapping) for x in b])
