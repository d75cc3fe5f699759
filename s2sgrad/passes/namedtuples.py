"""Fields of named tuples known when compiling: `arm.m1` where arm is a module-level
`Arm(m1=1.0, ...)` (read directly, passed to a helper, or a helper's default `arm=ARM`), or a
named-tuple argument of numbers (a signature constant, abstract.Known).

A named tuple cannot change, so a field read of one is its value: `getattr(arm, 'm1')` becomes the
constant 1.0 (an array field: the array, read under a name of its own like a module-level array).

Guarantee: applied to `getattr(v, field)` only where v is such a named tuple -- a captured value,
a constant, an argument whose signature is that value, or a name bound exactly once in the
function to one of these -- and field is one of its fields; anything else is left as it was (and
refused where attributes of non-objects are).
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from .. import ir
from ..ir import Assign, Call, Const, Name
from .abstract import Known


def _named(v) -> bool:
    return isinstance(v, tuple) and hasattr(type(v), "_fields")


def fold_fields(fn: ir.Function, captured: dict, signature: dict) -> ir.Function:
    writes = ir.all_writes(fn.body)
    known = {n: v for n, v in captured.items() if _named(v) and n not in writes}
    known.update({p: a.value for p, a in signature.items() if isinstance(a, Known) and _named(a.value)
                  and p not in writes})
    for s in ir.walk(fn.body):  # helper_arm = ARM (a default or an argument bound when inlining)
        if isinstance(s, Assign) and len(s.targets) == 1 and writes.count(s.target) == 1:
            v = s.value
            if isinstance(v, Const) and _named(v.value):
                known[s.target] = v.value
            elif isinstance(v, Name) and v.id in known:
                known[s.target] = known[v.id]
    def expr(e):
        if isinstance(e, Call):
            e = Call(e.op, tuple(expr(a) for a in e.args), tuple((k, expr(v)) for k, v in e.kwargs))
            if e.op == "getattr" and len(e.args) == 2 and isinstance(e.args[1], Const):
                base = e.args[0]
                nt = base.value if isinstance(base, Const) and _named(base.value) else \
                    known.get(base.id) if isinstance(base, Name) else None
                if nt is not None and e.args[1].value in type(nt)._fields:
                    return _value(getattr(nt, e.args[1].value), f"{type(nt).__name__}_{e.args[1].value}", captured)
            return e
        if isinstance(e, (ir.Tuple, ir.ListExpr)):
            return type(e)(tuple(expr(x) for x in e.elts))
        return e

    return replace(fn, body=tuple(ir.map_exprs(s, expr) for s in fn.body))


def _value(v, base, captured):
    if type(v) in (int, float, bool, str, type(None)):
        return Const(v)
    name, k = base, 1
    while name in captured and captured[name] is not v:
        k += 1
        name = f"{base}_{k}"
    captured[name] = v  # (an array or anything else: read at run time, as a module-level array is)
    return Name(name) if isinstance(v, np.ndarray) else Const(v)
