"""Functions as values, decided when compiling.

    act = relu                       act = np.tanh if smooth else relu
    acts = [relu, np.tanh, lambda z: z]          losses = {"mse": mse, "mae": mae}
    for W, act in zip(Ws, acts): h = act(W @ h)  for act in ACTS: ...   acts[i](z)   len(acts)
    apply(np.tanh, x)                            def layer(x, W, act): return act(W @ x)

A function value is never a run-time value of the generated code.  A name bound to one
(`act = relu`) is called as the function itself is: a rule row or an inlined helper, at the call,
with the call's arguments.  A table of them (a list, tuple or dict literal of function values, or a
module-level one) is read by key: a key known when compiling picks the entry; a key known only when
it runs -- a loop's position, `acts[i]`, `np.tanh if smooth else relu` with a test that is not a
constant -- is the choice Python makes, written out as the `if key == 0: ... else: ...` chain
frontend/dispatch.py writes (the key read where the binding or the subscript reads it, as Python
reads it).

Guarantees: a value is one of `Known` (a module-level callable: a function, a numpy function or
ufunc, a builtin, a @differentiate'd function; the name it is read from is guarded), a nested
function or lambda (closures.LocalFunction), a `Table` or a `dispatch.Picked` entry of one;
anything else is no function value (None), left to the caller, which refuses it.  A name holds one
function value for the whole function: binding it again is refused at its line (closures._bind),
and so is any use other than a call, a helper's argument, a loop over a table, `len()` of a table
or a subscript of it (frontend/names.py: "used as a value").
"""
from __future__ import annotations

import functools
import types
from dataclasses import dataclass

import libcst as cst
import numpy as np

from ..errors import UnsupportedSyntaxError
from ..ir import Assign, Const, If
from .none_entries import call_none, is_none, is_none_entry, none_entry


@dataclass(frozen=True)
class Known:
    """A module-level callable, read under `label` when compiling."""
    obj: object
    label: str


@dataclass(frozen=True)
class Table:
    """A list, tuple or dict of function values: `entries` ((key, value), ...) in Python's order
    (keys 0..n-1 for a list or tuple)."""
    entries: tuple
    is_dict: bool
    label: str


def _callable(obj) -> bool:
    """A callable s2sgrad calls as Python would (a row or an inlined function), not a class (a
    dtype or a constructor) or an object with a __call__ of its own."""
    if isinstance(obj, type):
        return False
    return isinstance(obj, (types.FunctionType, types.BuiltinFunctionType, np.ufunc, functools._lru_cache_wrapper)) \
        or type(obj).__name__ == "_ArrayFunctionDispatcher" or hasattr(obj, "__wrapped_py__")


def _entry(lowerer, node):
    """A function value that a table may hold (not a table itself), or None."""
    v = value_of(lowerer, node)
    return None if v is None or isinstance(v, Table) else v


def _entries(lowerer, nodes):
    """The entries of a table written as these elements: function values, None as the None entry
    (frontend/none_entries.py) where some other one is a function; None where one is neither."""
    values = [none_entry() if is_none(n) else _entry(lowerer, n) for n in nodes]
    if any(v is None for v in values) or all(is_none(n) for n in nodes):
        return None
    return values


def value_of(lowerer, node):
    """The function value the expression `node` denotes (see the module docstring), or None.  Reads
    of keys and tests it needs go to the lowerer's prelude, in Python's order."""
    from .closures import function_value
    from .dispatch import Picked, _table_of
    if isinstance(node, cst.Name):
        if node.value in lowerer.local_functions:
            return lowerer.bound_function(node.value, node)
        if node.value in lowerer.fn_params:
            held = lowerer.fn_params[node.value]
            return None if isinstance(held, type) else held
        if node.value in lowerer.locals:
            return None
    if isinstance(node, (cst.Lambda, cst.Call)):
        return function_value(lowerer, node)  # (a lambda, partial(...), a factory's function)
    if held_by_self(lowerer, node) is not None:  # self.act of a method whose object holds a function
        return held_by_self(lowerer, node)
    if isinstance(node, (cst.Name, cst.Attribute)):
        hit = lowerer.static_path(node)
        if hit is None:
            return None
        label, obj = hit
        if _callable(obj):
            return Known(obj, label)
        if type(obj) in (list, tuple, dict) and obj:
            found = _table_of(lowerer, cst.Subscript(node, [cst.SubscriptElement(cst.Index(cst.Integer("0")))]))
            if found is not None:  # ACTS = (relu, np.tanh) of the module: guarded entry by entry
                from .dispatch import guard_entries
                guard_entries(lowerer, node, obj)
                return Table(tuple((k, f if is_none_entry(f) else Known(f, f"{label}[{k!r}]")) for k, f in found[2]),
                             type(obj) is dict, label)
        return None
    if isinstance(node, (cst.ListComp, cst.DictComp)):
        from .function_comps import makes_functions, unrolled
        return value_of(lowerer, unrolled(lowerer, node)) if makes_functions(lowerer, node) else None
    if isinstance(node, cst.IfExp):
        found = _entries(lowerer, [node.body, node.orelse])  # (np.tanh if hidden else None: either side None)
        if found is None:
            return None
        a, b = found
        test = lowerer.test_expr(node.test)  # (read once, as Python reads it)
        if isinstance(test, Const):
            return a if test.value else b
        key, loc = lowerer.fresh("choice"), lowerer.loc(node)
        lowerer.prelude.append(If(test, (Assign((key,), Const(0), loc),), (Assign((key,), Const(1), loc),), loc))
        return Picked(Table(((0, a), (1, b)), False, "choice"), key)
    if isinstance(node, (cst.List, cst.Tuple)) and node.elements:
        if any(isinstance(el, cst.StarredElement) for el in node.elements):
            return None
        values = _entries(lowerer, [el.value for el in node.elements])
        if values is None:
            return None
        return Table(tuple(enumerate(values)), False, "table")
    if isinstance(node, cst.Dict) and node.elements:
        keys, values = [], []
        for el in node.elements:
            if not isinstance(el, cst.DictElement):
                return None
            key = lowerer.expr(el.key)
            if not (isinstance(key, Const) and type(key.value) in (str, int)):
                return None
            keys.append(key.value)
            values.append(el.value)
        values = _entries(lowerer, values)
        if values is None:
            return None
        return Table(tuple(dict(zip(keys, values)).items()), True, "table")
    if isinstance(node, cst.Subscript) and len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
        table = value_of(lowerer, node.value)
        if not isinstance(table, Table):
            return None
        key = lowerer.expr(node.slice[0].slice.value)
        if isinstance(key, Const):
            found = _constant_entry(table, key.value)
            if found is not None:
                return found
        name = lowerer.fresh("key")
        checked = _checked_key(table, key)
        lowerer.prelude.append(Assign((name,), checked, lowerer.loc(node)))
        return Picked(table, name)
    return None


def held_by_self(lowerer, node):
    """`self.act` in a method inlined on an object holding a function as its attribute `act`
    (passes/objects.py gives them: `Dense(W, b, act=np.tanh)`): that function (Known), else None.
    Only the method's own first parameter: a nested def's or a helper's is some other value."""
    if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name) \
            and node.value.value == getattr(lowerer, "first_param", None) and getattr(lowerer, "cls", None) is not None:
        return getattr(lowerer, "self_functions", {}).get(node.attr.value)
    return None


def refuse_value_binding(lowerer, name, node):
    """Refuse `name = value` (or a loop binding it to items) where name holds a function."""
    if name in lowerer.local_functions:
        raise lowerer.error(UnsupportedSyntaxError, f"'{name}' is bound to a function and to another value: "
                            "s2sgrad decides which function a name calls when compiling; give each its own name",
                            node)


def _constant_entry(table, key):
    if table.is_dict:
        return dict(table.entries).get(key) if type(key) in (str, int) else None
    if type(key) is int and -len(table.entries) <= key < len(table.entries):
        return table.entries[key][1]
    return None


def _checked_key(table, key):
    from .dispatch import checked_key
    return checked_key(table.is_dict, key, table.entries)


def bind(lowerer, s, loc):
    """The statements for `name = <function value>` (none of its own: only the reads of its keys
    and tests), `f, g = acts` of a list or tuple of them, or None when s is no such binding."""
    if not (isinstance(s, cst.Assign) and len(s.targets) == 1) or not looks_like_value(lowerer, s.value):
        return None
    target = s.targets[0].target
    if not isinstance(target, (cst.Name, cst.Tuple, cst.List)):
        return None
    value = value_of(lowerer, s.value)
    if value is None:
        return None
    from .closures import _bind
    for n in [target] if isinstance(target, cst.Name) else [el.value for el in target.elements]:
        if isinstance(n, cst.Name):
            _bound_once(lowerer, n)
    if isinstance(target, cst.Name):
        _bind(lowerer, target.value, value, s)
        return lowerer.flush([])
    names = [el.value for el in target.elements]
    if not (isinstance(value, Table) and not value.is_dict and all(isinstance(n, cst.Name) for n in names)):
        raise lowerer.error(UnsupportedSyntaxError, "functions unpacked into other than one name each, from a "
                            "list or tuple of as many", target)
    if len(names) != len(value.entries):
        raise lowerer.error(UnsupportedSyntaxError, f"{len(value.entries)} functions unpacked into "
                            f"{len(names)} names", target)
    for n, (_, v) in zip(names, value.entries):
        _bind(lowerer, n.value, v, n)
    return lowerer.flush([])


def looks_like_value(lowerer, node) -> bool:
    """Whether node is a function value's expression, told without lowering anything: a function
    (`_looks_like_function`), a table of them, a choice between two, or an entry of a table."""
    if _looks_like_function(lowerer, node):
        return True
    from .function_comps import makes_functions
    if makes_functions(lowerer, node):  # [lambda t, c=c: ... for c in CENTRES]
        return True
    if isinstance(node, (cst.List, cst.Tuple)):  # ([named['a'], named['b']]: dict_loop_iterable's entries)
        return bool(node.elements) and all(isinstance(el, cst.Element) and (
            _looks_like_function(lowerer, el.value) or is_none(el.value)
            or isinstance(el.value, cst.Subscript) and looks_like_value(lowerer, el.value)) for el in node.elements) \
            and not all(is_none(el.value) for el in node.elements)  # ([relu, None]: None among functions)
    if isinstance(node, cst.Dict):
        return bool(node.elements) and all(isinstance(el, cst.DictElement) and isinstance(el.key, (
            cst.SimpleString, cst.Integer)) and (_looks_like_function(lowerer, el.value) or is_none(el.value))
            for el in node.elements) and not all(is_none(el.value) for el in node.elements)
    if isinstance(node, cst.IfExp):
        sides = (node.body, node.orelse)
        return all(_looks_like_function(lowerer, n) or is_none(n) for n in sides) and not all(map(is_none, sides))
    if isinstance(node, cst.Subscript):  # acts[i] of a table made here, or of a module-level one
        base = node.value
        if isinstance(base, cst.Name) and base.value in lowerer.local_functions:
            return isinstance(lowerer.local_functions[base.value], Table)
        return isinstance(base, (cst.Name, cst.Attribute)) and not _looks_like_callable(lowerer, base) \
            and _looks_like_function(lowerer, base)
    return False


def _looks_like_callable(lowerer, node) -> bool:
    hit = lowerer.static_path(node) if not (isinstance(node, cst.Name) and node.value in lowerer.locals) else None
    return hit is not None and _callable(hit[1])


def dict_loop_iterable(lowerer, it):
    """`named`, `named.keys()`, `sorted(named)`, `list(named)`, `named.values()` and `named.items()`
    of a dict of functions whose keys are known when compiling, as what a loop over it reads: a
    tuple of the keys (sorted where sorted() is), a list of the entries `named[k]`, or the zip of
    the two -- each entry then called where the loop calls it (None: `it` is no such iterable)."""
    kind, node = "keys", it
    if isinstance(it, cst.Call) and not any(a.keyword or a.star for a in it.args):
        if isinstance(it.func, cst.Attribute) and not it.args and it.func.attr.value in ("keys", "values", "items"):
            kind, node = it.func.attr.value, it.func.value
        elif isinstance(it.func, cst.Name) and len(it.args) == 1 and it.func.value not in lowerer.locals \
                and lowerer.static_callee(it.func) in (sorted, list, tuple):
            kind, node = ("sorted" if lowerer.static_callee(it.func) is sorted else "keys"), it.args[0].value
        else:
            return None
    if not (isinstance(node, (cst.Name, cst.Attribute)) and looks_like_value(lowerer, node)):
        return None
    table = value_of(lowerer, node)  # (one made here, or a module-level one: guarded as any read of it)
    if not (isinstance(table, Table) and table.is_dict):
        return None
    keys = [k for k, _ in table.entries]
    if not all(type(k) in (str, int) for k in keys):
        return None
    if kind == "sorted":
        try:
            keys = sorted(keys)
        except TypeError:  # (str and int keys: Python's sorted raises too)
            return None
    literal = cst.Tuple([cst.Element(cst.parse_expression(repr(k))) for k in keys])
    entries = cst.List([cst.Element(cst.Subscript(node, [cst.SubscriptElement(cst.Index(el.value))]))
                        for el in literal.elements])
    if kind in ("keys", "sorted"):
        return literal
    if kind == "values":
        return entries
    return cst.Call(cst.Name("zip"), [cst.Arg(literal), cst.Arg(entries)])


def loop_table(lowerer, node):
    """The Table a `for` iterates (a name bound to one, a module-level tuple or list of functions,
    a literal or a comprehension of function values), or None."""
    # (for act in [get_activation(n) for n in NAMES]: a comprehension of functions, written out)
    if isinstance(node, (cst.Name, cst.Attribute, cst.List, cst.Tuple, cst.ListComp)) \
            and looks_like_value(lowerer, node):
        v = value_of(lowerer, node)
        if isinstance(v, Table):
            if v.is_dict:
                raise lowerer.error(UnsupportedSyntaxError, "a loop over a dict of functions whose keys are not all "
                                    "strings or integers: loop over a list of the functions", node)
            return v
    return None


def _looks_like_function(lowerer, node) -> bool:
    """Whether node denotes a function or a table of them, told without lowering anything: a
    lambda, partial(...) or a factory's call, a name bound to one, a module-level one."""
    if isinstance(node, cst.Lambda) or held_by_self(lowerer, node) is not None:
        return True
    if isinstance(node, cst.Call):
        from .factories import makes_function
        from .partials import is_partial
        return is_partial(lowerer, node) or makes_function(lowerer, node)
    if isinstance(node, cst.Name) and node.value in lowerer.local_functions:
        return True
    if isinstance(node, cst.Name) and node.value in lowerer.fn_params:
        return not isinstance(lowerer.fn_params[node.value], type)
    if isinstance(node, (cst.Name, cst.Attribute)) and not (isinstance(node, cst.Name) and node.value in lowerer.locals):
        hit = lowerer.static_path(node)
        if hit is None:
            return False
        obj = hit[1]
        if type(obj) in (list, tuple, dict) and obj:
            items = list(obj.values() if type(obj) is dict else obj)  # (None among functions: none_entries.py)
            return all(_callable(f) or f is None for f in items) and any(f is not None for f in items)
        return _callable(obj)
    return False


def _bound_once(lowerer, node, loop=False):
    """Refuse a name bound to a function here that the function binds anywhere else too (a `for`
    over tables of functions excepted, for its loop's name): which function a name calls is
    decided when compiling, once."""
    counts, loops = getattr(lowerer, "binding_counts", (None, None))
    n = node.value
    if counts is None:
        return
    if counts[n] > 1 and not (loop and loops[n] == counts[n]):
        raise lowerer.error(UnsupportedSyntaxError, f"'{n}' is bound to a function here and to another value "
                            "elsewhere in the function: s2sgrad decides which function a name calls when "
                            "compiling; give each its own name (or put the functions in a list and index it)", node)


def bind_loop_target(lowerer, target, table, idx, body):
    """`for act in acts`: the loop's name bound to the table's entry at the loop's position, for the
    loop's body (the statements `body`; read after the loop, it is refused: the loop may not run)."""
    from .dispatch import Picked
    if not isinstance(target, cst.Name):
        raise lowerer.error(UnsupportedSyntaxError, "a loop over functions binds one name to each", target)
    name = target.value
    _bound_once(lowerer, target, loop=True)
    held = lowerer.local_functions.get(name)
    if held is not None and not (isinstance(held, Picked) and held.key == idx):
        if not (isinstance(held, Picked) and held.loop):
            from .closures import _bind
            _bind(lowerer, name, None, target)  # (refused: bound to a function and to something else)
    lowerer.local_functions[name] = Picked(table, idx, loop=True)
    lowerer.note_function(name, body)


def call_value(lowerer, value, e: cst.Call, label, passed=False):
    """The call e of the function value `value` (a row, an inlined function, a table's choice);
    `passed`: a helper calling the function passed to it (closures.call_passed)."""
    from . import closures, dispatch
    if isinstance(value, closures.LocalFunction):
        return closures.call_passed(lowerer, value, e) if passed else closures.call(lowerer, value, e)
    if isinstance(value, dispatch.Picked):
        return dispatch.call_picked(lowerer, value, e, label if label.isidentifier() else None, passed)
    if is_none_entry(value):  # (acts[-1](h) of [relu, None]: Python's TypeError)
        return call_none(lowerer, e)
    if isinstance(value, Known):
        return lowerer.call_object(e, value.label, value.obj)
    if isinstance(value, Table):
        raise lowerer.error(UnsupportedSyntaxError, f"'{label}' is a {'dict' if value.is_dict else 'list'} of "
                            "functions, not a function: call one of them (`table[key](...)`)", e)
    if isinstance(value, type):  # cls(...) in a classmethod: the class constructed
        from . import methods
        return methods.construct(lowerer, value, e, label)
    return lowerer.call_object(e, label, value)  # (a module-level table's entry, a function passed to a helper)


def length(lowerer, e: cst.Call):
    """`len(acts)` of a table of functions: its length, known when compiling; None otherwise."""
    if len(e.args) != 1 or e.args[0].keyword is not None or e.args[0].star:
        return None
    node = e.args[0].value
    if isinstance(node, cst.Name) and isinstance(lowerer.local_functions.get(node.value), Table):
        return Const(len(lowerer.bound_function(node.value, node).entries))
    if isinstance(node, (cst.Name, cst.Attribute)) and looks_like_value(lowerer, node):  # len(ACTS) of the module's
        table = value_of(lowerer, node)
        if isinstance(table, Table):
            return Const(len(table.entries))
    return None
