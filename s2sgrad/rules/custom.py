"""Rows for the user's own rules (markers.custom_vjp / custom_jvp), made when the frontend meets a
call of one.  The row's op is the name the generated code calls it by -- the user's function
names (`f_fwd`, `f_jvp`, `f`), made unique if two objects share one -- and the object is added to
the generated code's namespace under that name.

- custom_vjp: the call is lowered to `y, y_res = f_fwd(x, ...)` (kind "custom_vjp"); the reverse
  transform (ad/reverse.py) emits `grad_x, ... = cotangents_of(f_bwd(y_res, grad_y), ...)`, which
  checks the number and shapes of the cotangents at run time.  Forward mode refuses it.
- custom_jvp: the call stays `y = f(x, ...)` (kind "custom_jvp"); forward mode
  (ad/forward.py) emits `y, dot_y = f_jvp((x, ...), (dot_x, ...))`.  Reverse mode refuses it.
"""
from __future__ import annotations

from .table import RULES, Rule

CUSTOM: dict = {}   # op -> (kind, marker object, partner name: bwd for custom_vjp, jvp for custom_jvp)
_NAMES: dict = {}   # id(function object) -> the name generated code calls it by


def _name_for(fn, fallback):
    if id(fn) in _NAMES:
        return _NAMES[id(fn)]
    base = getattr(fn, "__name__", fallback) or fallback
    if not base.isidentifier() or base == "<lambda>":
        base = fallback
    name, k = base, 2
    while name in RULES or name in {n for n in _NAMES.values()}:
        name = f"{base}_{k}"
        k += 1
    _NAMES[id(fn)] = name
    return name


def register(obj, kind):
    """(op, {name: object} for the generated code's namespace) for a call of a custom_vjp/jvp object."""
    if kind == "custom_vjp":
        fwd = _name_for(obj.fwd, f"{obj.__name__}_fwd")
        bwd = _name_for(obj.bwd, f"{obj.__name__}_bwd")
        RULES[fwd] = Rule(fwd, None, "custom_vjp")
        CUSTOM[fwd] = (kind, obj, bwd)
        return fwd, {fwd: obj.fwd, bwd: obj.bwd}
    fn = _name_for(obj.fn, obj.__name__)
    jvp = _name_for(obj.jvp, f"{obj.__name__}_jvp")
    RULES[fn] = Rule(fn, None, "custom_jvp")
    CUSTOM[fn] = (kind, obj, jvp)
    return fn, {fn: obj.fn, jvp: obj.jvp}
