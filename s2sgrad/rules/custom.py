"""Rows for the user's own rules (markers.custom_vjp / custom_jvp), made when the frontend meets a
call of one.  The row's op is the name the generated code calls it by -- the user's function
names (`f_fwd`, `f_jvp`, `f`), made unique per marker and rule (two markers sharing a fwd function
get two rows) and clear of the differentiated function's own names -- and the object is added to
the generated code's namespace under that name.

- custom_vjp: the call is lowered to `y, y_res = f_fwd(x, ...)` (kind "custom_vjp"); the reverse
  transform (ad/reverse.py) emits `grad_x, ... = cotangents_of(f_bwd(y_res, grad_y), ...)`, which
  checks the number and shapes of the cotangents at run time.  Forward mode refuses it.
- custom_jvp: the call stays `y = f(x, ...)` (kind "custom_jvp"); forward mode
  (ad/forward.py) emits `y, dot_y = f_jvp((x, ...), (dot_x, ...))`.  Reverse mode refuses it.
"""
from __future__ import annotations

import re

from .table import RULES, Rule

CUSTOM: dict = {}   # op -> (kind, marker object, partner name: bwd for custom_vjp, jvp for custom_jvp)
_BY_KEY: dict = {}  # (what, ids of the objects the name stands for) -> the name generated code calls it by
_TAKEN: set = set()
_BASE: dict = {}    # a name with a suffix (`cube_fwd_2`) -> the user's own name it was made from


def _name_for(key, fallback, fn, avoid):
    """The name for `key` -- one marker with its very rule functions (a row), or one function (a
    partner) -- unique among the rows and partners, and clear of the differentiated function's own
    names (`avoid`: a local `sp_fwd` would shadow the rule)."""
    name = _BY_KEY.get(key)
    if name is not None and name not in avoid:
        return name
    base = getattr(fn, "__name__", fallback) or fallback
    if not base.isidentifier() or base == "<lambda>":
        base = fallback
    name, k = base, 2
    while name in RULES or name in _TAKEN or name in avoid:
        name = f"{base}_{k}"
        k += 1
    _TAKEN.add(name)
    if name != base:
        _BASE[name] = base
    if key not in _BY_KEY:
        _BY_KEY[key] = name
    return name


def local_names(fn_ir, ns):
    """(fn_ir, ns) with each rule name that carries a suffix only because another rule of the
    process took the user's name first (`cube_fwd_2`) called by the user's name again, where
    nothing else in this function's text or namespace is called that: the names in generated code
    depend on the function compiled, not on what the process compiled before it (a cell run twice,
    a test run after another).  The global names stay the rows' keys (RULES, CUSTOM); the function's
    IR (so its printed text, and the map from that text to the user's lines: debug.source_map) and
    the namespace it runs in take the local ones."""
    if not any(n in _BASE for n in ns):  # (no suffixed rule in this namespace: nothing to print twice)
        return fn_ir, ns
    from .. import ir
    src = ir.to_source(fn_ir)
    renames = {}
    for name in sorted(n for n in ns if n in _BASE):
        base = _BASE[name]
        if not re.search(rf"\b{re.escape(name)}\b", src) or base in ns or base in renames.values() \
                or re.search(rf"\b{re.escape(base)}\b", src):
            continue
        renames[name] = base
    if not renames:
        return fn_ir, ns

    names = {name: ir.Name(base) for name, base in renames.items()}
    from dataclasses import replace
    fn_ir = replace(fn_ir, body=tuple(ir.map_exprs(st, lambda e: ir.substitute(e, names, renames))
                                      for st in fn_ir.body))
    ns = dict(ns)
    for name, base in renames.items():
        ns[base] = ns[name]
    return fn_ir, ns


def register(obj, kind, avoid=frozenset()):
    """(op, {name: object} for the generated code's namespace) for a call of a custom_vjp/jvp object.
    The op stands for the marker together with its rule functions as they are now: two markers
    sharing a fwd (or a plain function) get rows of their own, and a rule given again (defvjp
    after compiling) a new one (the frontend guards the marker's attributes: frontend/calls.py)."""
    if kind == "custom_vjp":
        fwd = _name_for(("vjp", id(obj), id(obj.fwd), id(obj.bwd)), f"{obj.__name__}_fwd", obj.fwd, avoid)
        bwd = _name_for(("partner", id(obj.bwd)), f"{obj.__name__}_bwd", obj.bwd, avoid)
        RULES[fwd] = Rule(fwd, None, "custom_vjp")
        CUSTOM[fwd] = (kind, obj, bwd)
        return fwd, {fwd: obj.fwd, bwd: obj.bwd}
    fn = _name_for(("jvp", id(obj), id(obj.fn), id(obj.jvp)), obj.__name__, obj.fn, avoid)
    jvp = _name_for(("partner", id(obj.jvp)), f"{obj.__name__}_jvp", obj.jvp, avoid)
    RULES[fn] = Rule(fn, None, "custom_jvp")
    CUSTOM[fn] = (kind, obj, jvp)
    return fn, {fn: obj.fn, jvp: obj.jvp}


def may_draw(op) -> bool:
    """Whether a call of this row may move numpy's global generator: a draw, or a user's rule (its
    fwd or jvp is the user's code, which may draw: dropout's mask)."""
    from .nondiff import GENERATOR_METHODS
    return op.startswith("np.random.") or op in CUSTOM or op.startswith(".") and op[1:] in GENERATOR_METHODS \
        or op in _DRAW_CHECKS


# numpy's checks of a draw's arguments, run where the draw is (runtime.draw_scale ...): kept in place
# and in order, as a draw is, even where nothing reads their result (the gradient-only code)
_DRAW_CHECKS = frozenset({"draw_scale", "draw_range", "draw_seed", "draw_count", "draw_span", "draw_size"})
