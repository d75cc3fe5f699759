"""Nested np.where of one mask in the adjoint code, read once.

The adjoint of an operand of `np.where(m, a, b)` is `np.where(m, 0.0, g)` on b's side, and every
elementwise contribution computed from it keeps the zero outside (ad/reverse_rules._remasked: 0,
not 0 * inf, where the where took the other side).  Inlined into one statement, that reads
`np.where(m, 0.0, 2 * np.where(m, 0.0, 0.5 * np.where(m, 0.0, 1.0) / s))`.

Guarantee: inside `np.where(m, A, B)` of a named mask m, a `np.where(m, X, Y)` reached from B
through elementwise operations only (rule-table rows of kind elementwise: the element at a position
of the inner where is the one at the same position of the outer, broadcasting included) is Y, and
one reached from A is X; the value is unchanged wherever it is defined.  Only the adjoints'
statements are rewritten (the forward sweep keeps the user's own expressions).
"""
from __future__ import annotations

from dataclasses import replace

from ..ir import Assign, Call, Function, Name, SetItem, map_blocks


def _elementwise(op) -> bool:
    from ..rules import RULES
    rule = RULES.get(op)
    return rule is not None and rule.kind == "elementwise"


def _is_where(e) -> bool:
    return isinstance(e, Call) and e.op == "np.where" and len(e.args) == 3 and not e.kwargs \
        and isinstance(e.args[0], Name)


def _under(e, mask, side):
    """e where mask is `side` (True: the where's second argument, False: its third)."""
    if _is_where(e) and e.args[0].id == mask:
        return _under(e.args[1] if side else e.args[2], mask, side)
    if isinstance(e, Call) and not e.kwargs and (_elementwise(e.op) or _is_where(e)):
        args = tuple(_under(a, mask, side) for a in e.args)
        if any(a is not b for a, b in zip(args, e.args)):
            return Call(e.op, args, e.kwargs)
    return e


def simplify(e):
    """e with each where's branches read under its mask (see the module docstring)."""
    if not isinstance(e, Call):
        return e
    args = tuple(simplify(a) for a in e.args)
    if _is_where(e):
        m = args[0].id
        args = (args[0], _under(args[1], m, True), _under(args[2], m, False))
    if any(a is not b for a, b in zip(args, e.args)):
        return Call(e.op, args, e.kwargs)
    return e


def simplify_masks(fn: Function, only=frozenset()) -> Function:
    """fn with the adjoints' (names in `only`) nested wheres of one mask read once."""
    def stmt(s):
        if isinstance(s, Assign) and s.targets[0] in only:
            return replace(s, value=simplify(s.value))
        if isinstance(s, SetItem) and s.target in only:
            return replace(s, value=simplify(s.value))
        return map_blocks(s, lambda b: [stmt(x) for x in b])
    return replace(fn, body=tuple(stmt(s) for s in fn.body))
