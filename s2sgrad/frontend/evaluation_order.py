"""Python's order of evaluation, where the lowering changes it and an object's state could tell.

The lowering computes some parts of a statement in statements of their own before the rest (its
prelude): a conditional expression, an inlined helper's body, a comprehension's loop, `a and b`
where b needs statements.  For values that is the same thing; for an object that changes it is not:
in `r = c.t + (c.bump() if ok else 0)` Python reads c.t before bump changes it, and the lowered
`if ok: tmp = c.bump()` / `r = c.t + tmp` after.  So a statement is refused where one part may
change an object -- an attribute written, or a method called on it that may set one (read from the
class where the object's class is known here: made in the function, or `self`; else assumed to) --
and the other part reads it.

Guarantee: `check(prelude, rest)` raises UnsupportedSyntaxError at the statement when a name is
changed (as above) in one of the two and read in the other; a statement whose prelude and rest touch
no common object passes unchanged.
"""
from __future__ import annotations

import functools
import inspect
import types

from .. import ir
from ..errors import UnsupportedSyntaxError
from ..ir import Const, Name, SetItem

def _changed(block, may_change) -> set:
    out = set()
    for st in ir.walk(block):
        if isinstance(st, SetItem) and st.attr:
            out.add(st.target)
        for c in ir.stmt_calls(st):
            if c.op == "obj_method" and c.args and isinstance(c.args[0], Name) and isinstance(c.args[1], Const) \
                    and may_change(c.args[0].id, c.args[1].value):
                out.add(c.args[0].id)
    return out


def may_change(classes, method) -> bool:
    """Whether calling `method` on an object of one of `classes` may set its attributes (None: the
    class is not known here -- it may).  A name the class does not define is an attribute holding an
    object, called through its own class (which passes/objects.py refuses to change: reached through
    an attribute); a plain method may where its source (or a method it calls on self) sets one."""
    if method == "_replace":  # (a named tuple's: a new tuple)
        return False
    if not classes:
        return True
    return any(_class_may_change(cls, method) for cls in classes)


@functools.lru_cache(maxsize=256)
def _class_may_change(cls, method, _depth=0) -> bool:
    try:
        raw = inspect.getattr_static(cls, method)
    except AttributeError:
        return False
    if isinstance(raw, (staticmethod, classmethod)):
        return False
    if not isinstance(raw, types.FunctionType) or _depth > 8:
        return True
    try:
        from .lower import parse_function
        fn_ir = parse_function(raw, cls=cls, keywords=(), self_owned=True).ir
    except Exception:  # (any method s2sgrad cannot read: it may)
        return True
    return change_of_self(fn_ir, cls, _depth) is not None


def change_of_self(fn_ir, cls, _depth=0):
    """The first statement of the method `fn_ir` (of class `cls`) that may change its `self`: a write
    into it (`self.t = ...`), or a call of one of its methods that may (`self.bump()`, also from a
    closure of the method); None where there is none."""
    me = fn_ir.params[0] if fn_ir.params else None
    for st in ir.walk(fn_ir.body):
        if isinstance(st, SetItem) and st.target == me:
            return st
        for c in ir.stmt_calls(st):
            if c.op == "obj_method" and c.args and c.args[0] == Name(me) and isinstance(c.args[1], Const) \
                    and _class_may_change(cls, c.args[1].value, _depth + 1):
                return st
    return None


def _read(block) -> set:
    out = set()
    for st in ir.walk(block):
        for e in ir.exprs_of(st):  # (an attribute write's target is not read: Python sets it last)
            out.update(ir.expr_names(e))
    return out


def check(prelude, rest, classes_of):
    """classes_of(name): the classes an object bound to `name` may have here (empty: not known)."""
    def changes(name, method):
        return may_change(classes_of(name), method)
    # (a name the prelude binds -- an inlined helper's own object, a temporary -- does not exist
    # before it, so the rest reads it after the prelude in Python too)
    fresh = set(ir.all_writes([st for st in ir.walk(prelude) if not isinstance(st, SetItem)]))
    for first, then in ((prelude, rest), (rest, prelude)):
        both = (_changed(first, changes) & _read(then)) - fresh
        if both:
            name = sorted(both)[0]
            at = next((st.loc for st in list(rest) + list(prelude) if getattr(st, "loc", None) is not None), None)
            raise UnsupportedSyntaxError(
                f"this statement may change the object '{name}' (a method called on it, or an attribute set) in "
                "one part and read it in another, which s2sgrad computes in another order than Python where a "
                "part needs statements of its own (a conditional expression, a helper, a comprehension, `and`/"
                f"`or`): call the method in a statement of its own (r = {name}.method(...)), then use r", at)
