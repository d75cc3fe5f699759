"""Branches decided when compiling: `if` statements whose test is a constant of this compilation.

A test becomes a constant when what it reads is known for the signature: an object's attribute
holding None (`if self.class_weight:`), a module-level or closure value, a static argument, a
conditional expression over one of them (lowered to an `if`).  The branch not taken still held the
constant where the user's code held a name -- `np.where(y > 0, None[1], None[-1])` -- which Python
warns about when the generated code is compiled ("SyntaxWarning: 'NoneType' object is not
subscriptable"), on the user's stderr, and which shape inference evaluated in vain.

Guarantee: `fold_constant_branches(body)` is `body` with every `if` whose test's truth is decided by
constants alone (a number, string, bool or None; `not`, `is` / `is not` against None or a bool,
`and` / `or` of such tests) replaced by the block Python would run; nothing else changes, so the
values computed are exactly the same.  A test reading anything that is not a constant -- even one
whose truth could be guessed (`x > 0 and False`) -- is left alone: evaluating it might raise, as
Python would.
"""
from __future__ import annotations

from typing import Optional

import numpy as np

from ..ir import Call, Const, ExprStmt, If, Return, exprs_of, map_blocks, walk
from ..markers import FUNCTION_PASSED

_TRUTHY = (type(None), bool, int, float, complex, str, bytes, np.bool_, np.integer, np.floating)  # (numpy scalars: static_args.py)


def truth(e) -> Optional[bool]:
    """The truth value of test e when constants decide it, else None."""
    if isinstance(e, Const):
        if e.value is FUNCTION_PASSED:  # (`if act:` of a function passed to a helper)
            return True
        return bool(e.value) if isinstance(e.value, _TRUTHY) else None
    if not isinstance(e, Call) or e.kwargs:
        return None
    if e.op == "not_" and len(e.args) == 1:
        t = truth(e.args[0])
        return None if t is None else not t
    if e.op in ("is_", "is_not") and len(e.args) == 2 and all(isinstance(a, Const) for a in e.args):
        a, b = (x.value for x in e.args)
        # (identity is decided for None and the bools only; `3 is 3` is CPython's business)
        if a is None or b is None or type(a) is bool or type(b) is bool:
            return (a is b) == (e.op == "is_")
        return None
    if e.op in ("bool_and", "bool_or") and len(e.args) == 2:
        first, second = truth(e.args[0]), truth(e.args[1])
        if first is None:
            return None
        decided = not first if e.op == "bool_and" else first  # Python stops at the first operand
        return first if decided else second
    return None


def fold_constant_branches(body) -> tuple:
    """body with each `if` whose test constants decide replaced by the block taken (nested ones too),
    and what follows a `return` or `raise` in a block dropped: Python never runs it (`if f is None:
    return ...` decided, the call of the None after it -- frontend/none_entries.py -- goes too)."""
    out = []
    for s in body:
        if isinstance(s, If):
            t = truth(s.test)
            if t is not None:
                out += fold_constant_branches(s.body if t else s.orelse)
                if _exits(out):
                    break
                continue
        out.append(map_blocks(s, fold_constant_branches))
        if _exits(out):
            break
    return tuple(out)


def _exits(block) -> bool:
    last = block[-1] if block else None
    return isinstance(last, Return) or isinstance(last, ExprStmt) and isinstance(last.value, Call) \
        and last.value.op == "raise"


def refuse_function_values(body):
    """Refuse a function passed to a helper that the helper uses as a value (stores, returns, passes
    to a row), or one an object holds (passes/function_attrs.py), once the tests that read it (`act
    is None`, `if act:`) are folded."""
    from ..errors import UnsupportedSyntaxError
    from ..ir import expr_calls
    for s in walk(body):
        for e in exprs_of(s):
            found = [e] if isinstance(e, Const) else [a for c in expr_calls(e) for a in tuple(c.args) + tuple(
                v for _, v in c.kwargs) if isinstance(a, Const)]
            if any(c.value is FUNCTION_PASSED for c in found):
                raise UnsupportedSyntaxError("a function passed to a helper, used there as a value (stored, "
                                             "returned, or given to something that does not call it), or a "
                                             "function an object holds (obj.act) used so: s2sgrad calls a "
                                             "function where it is called; call it there, or pass its result",
                                             s.loc)
