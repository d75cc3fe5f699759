"""Dict changes people write when they make a dict of parameters or results: `{**p, 'w': w}`,
`v = d.pop('k')`, `d.pop('k', None)`, `del d['k']`, `d.setdefault('k', v)`.

They are lowered to the forms the container pass reads when compiling, where a dict the function
makes has known keys: `{**a, 'k': v, **b}` to `a | {'k': v} | b` (`dict(a)` alone: a new dict
either way), `v = d.pop(k)` to `v = d[k]` then `d = dict_without(d, k)`, `del d[k]` to the same
without the read (a list literal's `del parts[i]` to `list_pop`, as `parts.pop(i)`), and
`d.setdefault(k, v)` to `if k not in d: d[k] = v` (then `x = d[k]`).

Guarantee: every form here is Python's meaning when the dict's keys are known when compiling (the
container pass folds `k in d` and `dict_without` there, and refuses a dict it does not know: a key
computed from data, a dict changed in a loop that runs at run time); a pop of a missing key without
a default is refused when compiling as Python's KeyError would be raised when running.  Only names
the function binds to a container it makes are changed here (an argument's dict belongs to the
caller: its pop/setdefault/del stay refused).
"""
from __future__ import annotations

import libcst as cst

from ..errors import UnsupportedSyntaxError
from ..ir import Assign, Call, Const, If, Name, SetItem


def dict_literal(lowerer, e):
    """`{**a, 'k': v, **b}`: a | {'k': v} | b; None when the literal has no ** entry."""
    if not any(isinstance(el, cst.StarredDictElement) for el in e.elements):
        return None
    parts, run = [], []
    for el in e.elements:
        if isinstance(el, cst.StarredDictElement):
            if run:
                parts.append(cst.Dict(run))
                run = []
            parts.append(el.value)
        else:
            run.append(el)
    if run:
        parts.append(cst.Dict(run))
    if len(parts) == 1:  # {**a}: a new dict with a's entries
        return Call("dict", (lowerer.expr(parts[0]),))
    out = lowerer.expr(parts[0])
    for p in parts[1:]:
        out = Call("or_", (out, lowerer.expr(p)))
    return out


def _method(call, names):
    if isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute) and isinstance(call.func.value, cst.Name) \
            and call.func.value.value in names:
        return call.func.value.value, call.func.attr.value
    return None, None


def _key(lowerer, node, loc):
    """The key as an IR expression bound once (a name or a constant)."""
    return lowerer.atom(lowerer.expr(node), loc, "key")


def made_dicts(lowerer):
    """The names of containers the function makes that are not list literals or appended lists."""
    return lowerer.containers - lowerer.list_literals - lowerer.appended


def dict_statement(lowerer, s, loc):
    """IR for a pop, del or setdefault of a dict the function makes; None when s is not one."""
    if isinstance(s, cst.Del):
        return _delete(lowerer, s, loc)
    if isinstance(s, cst.Assign) and len(s.targets) == 1:
        call, target = s.value, s.targets[0].target
    elif isinstance(s, cst.Expr):
        call, target = s.value, None
    else:
        return None
    name, method = _method(call, made_dicts(lowerer))
    if method not in ("pop", "setdefault"):
        return None
    if any(a.keyword or a.star for a in call.args) or not 1 <= len(call.args) <= 2 \
            or method == "setdefault" and len(call.args) != 2:
        raise lowerer.error(UnsupportedSyntaxError, f"{name}.{method}() takes a key and "
                            f"{'an optional default' if method == 'pop' else 'a value'}, by position", call)
    key = _key(lowerer, call.args[0].value, loc)
    out = []
    if method == "setdefault":  # if k not in d: d[k] = v -- then the value is d[k]
        value = lowerer.expr(call.args[1].value)
        if not isinstance(value, (Name, Const)):  # (Python computes it, key present or not: a draw too)
            value = lowerer.atom(value, loc)
        out = lowerer.flush([])  # the key and the value first, as Python evaluates a call's arguments
        out.append(If(Call("not_in", (key, Name(name))), (SetItem(name, key, value, loc),), (), loc))
        if target is not None:
            out += lowerer.flush(lowerer.assign(target, Call("getitem", (Name(name), key)), loc))
        return out
    default = lowerer.expr(call.args[1].value) if len(call.args) == 2 else None
    if default is not None and not isinstance(default, (Name, Const)):  # (computed, used or not)
        default = lowerer.atom(default, loc)
    if target is not None:
        read = Call(".get", (Name(name), key, default)) if default is not None else Call("getitem", (Name(name), key))
        out += lowerer.assign(target, read, loc)
    out.append(Assign((name,), Call("dict_without", (Name(name), key, Const(default is not None))), loc))
    return lowerer.flush(out)


def _delete(lowerer, s, loc):
    t = s.target
    if not (isinstance(t, cst.Subscript) and isinstance(t.value, cst.Name) and len(t.slice) == 1
            and isinstance(t.slice[0].slice, cst.Index)):
        return None
    name = t.value.value
    if name in lowerer.list_literals or name in lowerer.appended:  # del parts[i]: parts.pop(i) without the read
        at = lowerer.expr(t.slice[0].slice.value)
        if name in lowerer.appended and at != Const(-1):  # (as pop(i): listbuild.pop_statement)
            raise lowerer.error(UnsupportedSyntaxError, f"del {name}[i] of a list built at run time (s2sgrad "
                                f"follows such a list as a stack: del {name}[-1] or {name}.pop() its last element, "
                                f"or read {name}[i])", s)
        return lowerer.flush([Assign((name,), Call("list_pop", (Name(name), at)), loc)])
    if name not in made_dicts(lowerer):
        return None
    key = _key(lowerer, t.slice[0].slice.value, loc)
    return lowerer.flush([Assign((name,), Call("dict_without", (Name(name), key, Const(False))), loc)])
