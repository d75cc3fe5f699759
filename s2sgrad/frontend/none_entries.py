"""None among functions: `acts = [relu, np.tanh, None]`, `for (W, b), act in zip(layers, acts):
... if act is not None: h = act(h)` -- the last layer without an activation.

A table of functions (frontend/function_values.Table) may hold None where at least one entry is a
function: the entry is `NO_FUNCTION`.  `act is None` / `act is not None` of a name bound to a
function value is decided by which entry it holds: when compiling for a function or None, else by
the key the binding read (`act_key in (2,)`), which an unrolled loop makes a constant.  Calling
the None entry is Python's TypeError: a `raise` in the choice's branch for it (frontend/dispatch.py),
or, where the key is a constant, a raise the constant branches drop when a test guards it and
that is refused when compiling where none does (passes/constant_tests.refuse_function_values).

Guarantee: a test against None of a function value gives Python's truth for each key; a list of
None alone, or a None anywhere but in such a literal, is no table (left as the value it is).
"""
from __future__ import annotations

import libcst as cst

from ..ir import Assign, Call, Const, ExprStmt, Name, Tuple
from ..markers import FUNCTION_PASSED

NOT_CALLABLE = "'NoneType' object is not callable"


def is_none(node) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"


def none_entry():
    """The entry a table holds for None (a Known of None: never called, never guarded)."""
    from .function_values import Known
    return Known(None, "None")


def is_none_entry(value) -> bool:
    from .function_values import Known
    return isinstance(value, Known) and value.obj is None


def call_none(lowerer, e, base="picked"):
    """The call e of the None entry: Python's TypeError, then a name no one may read (a constant
    branch around it drops both; anything left is refused when compiling)."""
    loc = lowerer.loc(e)
    lowerer.prelude.append(ExprStmt(Call("raise", (Call("TypeError", (Const(NOT_CALLABLE),)),)), loc))
    picked = lowerer.fresh(base)
    lowerer.prelude.append(Assign((picked,), Const(FUNCTION_PASSED), loc))
    return Name(picked)


def test(lowerer, e: cst.Comparison):
    """`f is None` / `f is not None` (either side) of a name bound to a function value, as IR; None
    when e is no such test."""
    if len(e.comparisons) != 1 or not isinstance(e.comparisons[0].operator, (cst.Is, cst.IsNot)):
        return None
    other = e.comparisons[0].comparator
    side = e.left if is_none(other) else other if is_none(e.left) else None
    if not (isinstance(side, cst.Name) and side.value in lowerer.local_functions):
        return None
    wanted_none = isinstance(e.comparisons[0].operator, cst.Is)
    held = lowerer.bound_function(side.value, side)
    from .dispatch import Picked, _table_of
    from .function_values import Table
    if isinstance(held, Picked):
        if isinstance(held.table, Table):
            entries = held.table.entries
        else:  # (act = ACTS[k] of a module-level table: its entries as dispatch reads them)
            sub = cst.Subscript(held.table, [cst.SubscriptElement(cst.Index(cst.Name(held.key)))])
            _, _, entries = _table_of(lowerer, sub)
        nones = tuple(Const(k) for k, f in entries if is_none_entry(f))
        if nones:  # (the key as the binding checked it: acts[-1] the last)
            return Call("in_" if wanted_none else "not_in", (Name(held.key), Tuple(nones)))
        return Const(not wanted_none)
    if isinstance(held, Table):  # (a table is a list or dict: never None)
        return Const(not wanted_none)
    return Const(is_none_entry(held) == wanted_none)


def truth(lowerer, node, negated=False):
    """`if act:` / `not act` of a name bound to a function value: a function is true and None false,
    so the test is `act is not None` (`act is None` negated); None when node is no such name."""
    if not (isinstance(node, cst.Name) and node.value in lowerer.local_functions):
        return None
    op = cst.Is() if negated else cst.IsNot()
    return test(lowerer, cst.Comparison(node, [cst.ComparisonTarget(op, cst.Name("None"))]))
