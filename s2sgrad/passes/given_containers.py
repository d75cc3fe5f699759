"""A helper's parameter given a container literal is not None, one given None is: `if weights is
None:` decided.

    def weighted_sum(*terms, weights=None):
        if weights is None:
            weights = [1.0] * len(terms)

called as `weighted_sum(a, b, weights=(1.0, 0.5))`: the parameter holds a tuple, list or dict
literal, which is never None, so the test is False where the helper reads the parameter as it was
given -- before any statement of the body binds it again; called as `weighted_sum(a, b)`, the default
None makes it True.  Left to the container pass, the name bound on one path only would hold a
different container on each (refused where it is read next).

The top-level function's parameters count too, from the signature (`given_by_signature`): a container
argument is not None and its length decides its truth; an argument None is None.

Guarantee: `given_not_none(body, given)` (name -> None where the value given is None, else the
length of the container given) is body with
each `name is None` / `name is not None`
(either order) in the tests of its top-level statements up to the first that binds `name` again
(that statement's own test included: Python evaluates it first) replaced by the constant Python
computes, and so for a plain test of the name's truth and for a name bound to it (`first = cfg`,
how `cfg or {...}` is lowered).  A statement that writes into the name or a name bound to it
(`c2["z"] = 1.0`, `ws.append(v)`, also inside an if) or, other than an if, reads either (a call it is
passed to) ends the deciding for all of them: it may change the container.  Nothing else changes.
"""
from __future__ import annotations

from dataclasses import replace

from ..ir import Assign, Call, Const, DictExpr, If, ListExpr, Name, Tuple, all_reads, all_writes, stmt_writes


def given_not_none(body, given) -> tuple:
    """body with the None tests (and plain truth tests: `cfg or {...}`) of the parameters in `given`
    (name -> None, or the length of the container given) decided."""
    names = dict(given)
    aliases = {}  # name -> the names holding the same container (first = cfg)
    out = []
    for s in body:
        if names and isinstance(s, If):  # (not a while: its test is read again after the body)
            s = replace(s, test=_decided(s.test, names, top=True))
        out.append(s)
        if names:
            copy = isinstance(s, Assign) and len(s.targets) == 1 and isinstance(s.value, Name) and \
                s.value.id in names
            value = names.get(s.value.id) if copy else None
            for n in set(stmt_writes(s)) | set(all_writes([s])):
                rebinds = isinstance(s, Assign) and n not in all_reads([s])  # (c2 = {}: c2 alone)
                for a in {n} if rebinds else aliases.get(n, {n}):
                    names.pop(a, None)  # (c2["z"] = 1.0, w2.append(v): cfg and ws change too)
            if copy:  # first = cfg (how `cfg or {...}` is lowered): the same value, one more name for it
                names[s.target] = value
                group = aliases.setdefault(s.value.id, {s.value.id})
                group.add(s.target)
                aliases[s.target] = group
            elif not isinstance(s, If):
                # any other use (c2["z"] = 1.0, ws.append(v), a call it is passed to) may change the
                # container behind every name for it: none of them is decided from here on
                for n in set(all_reads([s])) & set(names):
                    for a in aliases.get(n, {n}):
                        names.pop(a, None)
    return tuple(out)


def given_of(values) -> dict:
    """`given` for a helper's parameters bound to these IR values: container literals and None."""
    return {p: None if isinstance(v, Const) else len(v.keys if isinstance(v, DictExpr) else v.elts)
            for p, v in values.items()
            if isinstance(v, (Tuple, ListExpr, DictExpr)) or isinstance(v, Const) and v.value is None}


def given_by_signature(abstract) -> dict:
    """`given` for a function's arguments: None, and dict, list and tuple arguments."""
    from .abstract import Known
    from .trees import Tree
    return {p: None if isinstance(v, Known) else len(v.keys) for p, v in abstract.items()
            if isinstance(v, Known) and v.value is None or isinstance(v, Tree) and v.kind in ("dict", "list", "tuple")}


def _decided(e, names, top=False):
    if isinstance(e, Name) and e.id in names and top:  # if cfg: / cfg or {...} (lowered to an if)
        return Const(bool(names[e.id]))  # (None: False; a container: its length)
    if not isinstance(e, Call):
        return e
    if e.op in ("is_", "is_not") and len(e.args) == 2 and not e.kwargs:
        a, b = e.args
        if isinstance(a, Const) and a.value is None:
            a, b = b, a
        if isinstance(a, Name) and a.id in names and isinstance(b, Const) and b.value is None:
            return Const((names[a.id] is None) == (e.op == "is_"))
    truth_test = e.op in ("not_", "bool_and", "bool_or", "bool")  # (operands read for their truth)
    return replace(e, args=tuple(_decided(x, names, top=top and truth_test) for x in e.args))
