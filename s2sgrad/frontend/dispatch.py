"""A function picked from a table by key: `ACTS[name](z)` where ACTS is a module-level (or
closure) dict, tuple or list of functions, `ACTS = {"relu": relu, "tanh": np.tanh}`.

The call becomes the choice Python makes, written out:

    if name not in ('relu', 'tanh'):
        raise KeyError(name)
    if name == 'relu':
        <relu inlined>; picked = ...
    else:
        picked = np.tanh(z)

Where the key is known when compiling (a loop over a tuple of names, unrolled) the branches
not taken go away with the other constant tests; otherwise the choice is made at run time,
exactly as Python makes it (the key is a string or an int: compared with ==, as dict lookup
does for those).  Each function is called as it would be called directly (a rule row or an
inlined helper), with the call's own argument expressions, evaluated once in the branch taken.

`act = ACTS[key]` bound to a name first, then called (`act(z)`), is the same choice made at each
call with the key the binding read (kept under a name of its own, as Python's binding keeps the
function): `Picked`.  Enum members are keys too (`ACTS[cfg.activation]`): compared when compiling
only (an Enum member is no value the generated code can spell: a choice among them left to run
time is refused at the If that would make it, passes/flatten_stmts.py).

Guarantee: only a table whose keys are strings, ints (bools excluded) or Enum members and whose values are
functions s2sgrad can call is read so; the table is guarded by identity and by the identity of
each entry (a table changed in place compiles again).  Anything else is left to the caller
(which refuses it at its line).
"""
from __future__ import annotations

import enum
import types
from dataclasses import dataclass

import libcst as cst

from ..ir import Assign, Call, Const, ExprStmt, If, Name, Tuple
from .guards import ContentGuard


class SameEntries(ContentGuard):
    """A guard's object for a table of functions: still the same object with the same keys, each
    holding the same function."""

    def __init__(self, obj):
        self.obj = obj
        self.entries = list(obj.items()) if isinstance(obj, dict) else list(enumerate(obj))

    def holds(self, now) -> bool:
        if now is not self.obj:
            return False
        entries = list(now.items()) if isinstance(now, dict) else list(enumerate(now))
        return len(entries) == len(self.entries) and all(
            k == k0 and f is f0 for (k, f), (k0, f0) in zip(entries, self.entries))


def _callable(f) -> bool:
    return isinstance(f, (types.FunctionType, types.BuiltinFunctionType)) or \
        hasattr(f, "__wrapped_py__") or type(f).__name__ == "ufunc"


@dataclass(frozen=True)
class Picked:
    """A name bound to `TABLE[key]`: its table (the expression of a module-level one, or a
    function_values.Table) and the name holding the key, checked where it was bound as Python's
    lookup checks it (or a loop's position); `loop`: bound by a `for` over the table."""
    table: object
    key: str
    loop: bool = False


def bind_picked(lowerer, s, loc):
    """The statements for `act = ACTS[key]` of a table of functions (the key read now, under a name
    of its own), or None when s is not such a binding."""
    if not (isinstance(s, cst.Assign) and len(s.targets) == 1 and isinstance(s.targets[0].target, cst.Name)
            and isinstance(s.value, cst.Subscript)):
        return None
    found = _table_of(lowerer, s.value)
    if found is None:
        return None  # (the same tables call_from_table reads: a call of the name always finds one)
    name = s.targets[0].target.value
    if name in lowerer.local_functions:
        return None  # (closures._bind's refusal, where the name is called)
    _, table, entries = found
    guard_entries(lowerer, s.value.value, table)  # (read here, even where the name is only tested)
    key = lowerer.fresh(f"{name}_key")
    # the lookup is made here, as Python makes it: a missing key raises at the binding
    checked = checked_key(isinstance(table, dict), lowerer.expr(s.value.slice[0].slice.value), entries)
    stmts = lowerer.flush([Assign((key,), checked, loc)])
    lowerer.local_functions[name] = Picked(s.value.value, key)
    lowerer.note_function(name)
    return stmts


def call_picked(lowerer, picked, e: cst.Call, name=None, passed=False):
    """`act(z)` of `act = ACTS[key]`: the table's call with the key the binding read (its value
    named after the name called, `act_out`)."""
    from .function_values import Table
    if isinstance(picked.table, Table):
        t = picked.table
        return choose(lowerer, e, t.label, t.is_dict, t.entries, Name(picked.key), True,
                      base=f"{name}_out" if name else "picked", passed=passed)
    sub = cst.Subscript(picked.table, [cst.SubscriptElement(cst.Index(cst.Name(picked.key)))])
    return call_from_table(lowerer, lowerer.remade(e.with_changes(func=sub), e), in_range=True)


def guard_entries(lowerer, node, table):
    """The guard on a module-level table read by name: the same object holding the same functions."""
    if isinstance(node, cst.Name):  # (an attribute path is guarded entry by entry already)
        where = lowerer.where.get(node.value)
        if where is not None:
            lowerer.guards[node.value] = (where, node.value, SameEntries(table))


def _key(k) -> bool:
    """A key dispatch compares: a string, an int (bools excluded) or an Enum member."""
    return type(k) in (str, int) or isinstance(k, enum.Enum)


def _table_of(lowerer, sub):
    """(label, table, entries) when `sub` is `TABLE[key]` of a table dispatch reads (module-level or
    closure, its keys `_key`s, its values functions s2sgrad can call), else None."""
    if len(sub.slice) != 1 or not isinstance(sub.slice[0].slice, cst.Index) or \
            not isinstance(sub.value, (cst.Name, cst.Attribute)):
        return None
    hit = lowerer.static_path(sub.value)
    if hit is None or type(hit[1]) not in (dict, tuple, list) or not hit[1]:
        return None
    label, table = hit
    entries = list(table.items()) if isinstance(table, dict) else list(enumerate(table))
    if not all(_key(k) and (_callable(f) or f is None) for k, f in entries) or all(f is None for _, f in entries):
        return None
    from .none_entries import none_entry  # (ACTS = (np.tanh, None): None among functions)
    return label, table, [(k, none_entry() if f is None else f) for k, f in entries]


def call_from_table(lowerer, e: cst.Call, in_range=False):
    """The IR value of `TABLE[key](...)`, or None when e is not such a call (`in_range`: the key is
    one the binding checked already)."""
    from .function_values import Table
    sub = e.func
    local = lowerer.local_functions.get(sub.value.value) if isinstance(sub.value, cst.Name) else None
    if isinstance(local, Table) and len(sub.slice) == 1 and isinstance(sub.slice[0].slice, cst.Index):
        key = lowerer.expr(sub.slice[0].slice.value)  # acts[i](z) of a table made in the function
        return choose(lowerer, e, sub.value.value, local.is_dict, local.entries, key, False)
    found = _table_of(lowerer, sub)
    if found is None:
        return None
    label, table, entries = found
    guard_entries(lowerer, sub.value, table)
    key = lowerer.expr(sub.slice[0].slice.value)
    return choose(lowerer, e, label, isinstance(table, dict), entries, key, in_range, table)


def checked_key(is_dict, key, entries):
    """The key as Python's lookup takes it: a key the dict holds, or a position among the entries
    (negative ones counted from the end), else Python's TypeError / KeyError / IndexError when it
    runs -- where the lookup is made, so a key never used to call is checked all the same."""
    if is_dict:
        return Call("table_key", (key, Tuple(tuple(Const(k) for k, _ in entries))))
    return Call("table_index", (key, Const(len(entries))))


def choose(lowerer, e, label, is_dict, entries, key, in_range, table=None, base="picked", passed=False):
    """The call e of the entry `key` picks among `entries` ((key, function value), ...): the entry
    itself where the key is a constant, else the chain of tests on the key Python's lookup makes."""
    from .function_values import call_value
    loc = lowerer.loc(e)
    if isinstance(key, Const) and _key(key.value):
        held = dict(entries)
        k = key.value if is_dict or not isinstance(key.value, int) or key.value >= 0 else key.value + len(entries)
        if k in held and (is_dict or type(key.value) is int):  # STEPS[-1](x): the one function, called directly
            return call_value(lowerer, held[k], e, f"{label}[{key.value!r}]", passed)  # (None: its TypeError)
    # the key as Python's lookup takes it (an int position of a tuple or list, negative ones
    # counted from the end; a hashable dict key), or Python's TypeError / IndexError
    if not in_range:
        checked = checked_key(is_dict, key, entries)
        tmp = lowerer.fresh("key")
        lowerer.prelude.append(Assign((tmp,), checked, loc))
        key = Name(tmp)
    picked = lowerer.fresh(base)
    saved, branches = lowerer.prelude, []
    for k, f in entries:
        lowerer.prelude = []
        wrong = _arguments_refused(lowerer, f, e)
        if wrong is not None:  # (Python's TypeError, where this entry is the one the key picks)
            branches.append((k, (ExprStmt(Call("raise", (Call("TypeError", (Const(wrong),)),)), loc),)))
            continue
        value = call_value(lowerer, f, e, f"{label}[{k!r}]", passed)
        branches.append((k, tuple(lowerer.prelude) + (Assign((picked,), value, loc),)))
    lowerer.prelude = saved
    chain = branches[-1][1]
    for k, body in reversed(branches[:-1]):
        chain = (If(Call("eq", (key, Const(k))), body, chain, loc),)
    lowerer.prelude.extend(chain)
    return Name(picked)


def _arguments_refused(lowerer, f, e):
    """Python's TypeError message where the call e's arguments do not fit f's parameters (an entry
    of a table taking other keywords than the one the key picks), else None."""
    import inspect
    from .closures import LocalFunction
    from .function_values import Known
    import numpy as np
    from .none_entries import NOT_CALLABLE, is_none_entry
    if is_none_entry(f):  # ([relu, None]: the None entry, called where the key picks it)
        return NOT_CALLABLE
    fn = f.obj if isinstance(f, Known) else f
    if any(a.star for a in e.args):
        return None
    positional = sum(a.keyword is None for a in e.args)
    if isinstance(fn, np.ufunc):  # (np.add of one argument, np.sin(x, 0.5): numpy's TypeError in that branch)
        if positional < fn.nin:
            return f"{fn.__name__}() takes from {fn.nin} to {fn.nin + fn.nout} positional arguments but " \
                   f"{positional} were given"
        if positional > fn.nin:  # (an output array by position: here a value, which numpy refuses)
            return f"{fn.__name__}() given {positional - fn.nin} output argument(s) that are not arrays"
        return None
    if not (isinstance(fn, LocalFunction) or inspect.isfunction(fn) or type(fn).__name__ == "_ArrayFunctionDispatcher"):
        return None
    try:
        sig = fn.signature() if isinstance(fn, LocalFunction) else inspect.signature(
            fn, follow_wrapped=not inspect.isfunction(fn))  # (numpy's dispatchers: the function they wrap)
        sig.bind(*[None for a in e.args if a.keyword is None],
                 **{a.keyword.value: None for a in e.args if a.keyword is not None})
    except TypeError as err:
        return f"{getattr(fn, 'name', getattr(fn, '__name__', 'function'))}(): {err}"
    except ValueError:
        return None
    return None
