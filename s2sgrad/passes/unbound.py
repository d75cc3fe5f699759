"""Names read where no binding of them may have run: checked as Python checks them.

Python raises UnboundLocalError when a local name is read before any assignment to it has run (a
name bound only inside a loop that ran no times, in one branch only, after `del`); the generated
code must too, or it computes with whatever the name last held: a value the records bound it to
(None), or a helper's local left from its previous inlined call.  `check_unbound` binds each name
that some read may find unbound to the sentinel `UNBOUND` (s2sgrad.runtime) where the function
starts, and checks it before each such read:

    y = UNBOUND
    for k in range(n):
        y = w * k
    if y is UNBOUND:
        raise UnboundLocalError("local variable 'y' is read at f.py:8 where no assignment to it has run")

Guarantee: after `check_unbound`, every read of a name the function binds that passes/dataflow's
`maybe_unbound` says may find it unbound is preceded by its check, in the code both modes
differentiate; a check is an effect, so no later pass drops it (or what binds the name).  The
checks are inert where the name is bound: a name bound to UNBOUND is never read but by a check.
"""
from __future__ import annotations

from dataclasses import replace

from .. import ir
from ..ir import Assign, Call, Const, ExprStmt, If, Name
from .dataflow import checked, maybe_unbound, unbinds

UNBOUND = Name("UNBOUND")


def check_unbound(fn):
    """fn with its possibly unbound reads checked (fn itself where there are none)."""
    local = set(ir.all_writes(fn.body)) - set(fn.params) - {"UNBOUND"}
    late = {k: [n for n in v if n in local] for k, v in maybe_unbound(fn.body, set(fn.params)).items()}
    late = {k: v for k, v in late.items() if v}
    if not late and not any(_bare_read(s) for s in ir.walk(fn.body)):
        return fn
    names = list(dict.fromkeys(n for v in late.values() for n in v))
    started = {unbinds(s) for s in fn.body[:len(names)]}  # (code s2sgrad generated, read again: a Hessian's)
    head = [Assign((n,), UNBOUND, None) for n in names if n not in started]
    return replace(fn, body=tuple(head + _block(fn.body, late)))


def _bare_read(s) -> bool:
    """`y` alone on a line (what `del y` reads first): nothing but its check to keep."""
    return isinstance(s, ExprStmt) and isinstance(s.value, Name)


def _block(body, late):
    out = []
    for s in body:
        out += [check(n, s.loc) for n in late.get(id(s), ())]
        if not _bare_read(s):
            out.append(ir.map_blocks(s, lambda b: _block(b, late)) if checked(s) is None else s)
    return out


def check(name, loc):
    """`if name is UNBOUND: raise UnboundLocalError(...)`, saying where the read is."""
    # (no place for code s2sgrad generated and differentiates again: a Hessian's tangent code)
    where = f" at {loc.file.rsplit('/', 1)[-1]}:{loc.line}" if loc is not None and not loc.file.startswith("<") else ""
    message = f"local variable '{name}' is read{where} where no assignment to it has run"
    error = Call("UnboundLocalError", (Const(message),))
    return If(Call("is_", (Name(name), UNBOUND)), (ExprStmt(Call("raise", (error,)), loc),), (), loc)
