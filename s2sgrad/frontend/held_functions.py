"""Functions an object made in the function holds: `self.act = act` in its inlined `__init__`,
`Dense(W, b, np.cos)`, a dataclass field given a function, `Dense(W, b, ACTS[i])` in a loop over the
layers.  The attribute holds the function itself, a constant of the object its methods call
(passes/function_attrs.py); a function picked from a table by a key is `function_pick(key, keys,
functions)`, which the container pass replaces by the entry where the key is known when compiling
(an unrolled loop's position) and refuses elsewhere.

Guarantee: an object holds a module-level def or lambda, numpy function, ufunc or builtin, the one
Python's `__init__` would store; any other function value (a nested def or lambda, a partial, a
factory's function) is refused at the line that stores it.
"""
from __future__ import annotations

import types

import libcst as cst

from ..ir import Call, Const


def is_init_attribute(lowerer, target) -> bool:
    """Whether target is `self.W` in an inlined __init__."""
    return getattr(lowerer, "init_of", None) is not None and isinstance(target, cst.Attribute) \
        and isinstance(target.value, cst.Name) and target.value.value == lowerer.first_param


def init_attribute(lowerer, target):
    """The local name `self.W = ...` assigns in an inlined __init__ (None: not such a target)."""
    if not is_init_attribute(lowerer, target):
        return None
    name = lowerer.init_attrs.get(target.attr.value)  # (one name per attribute: set in either branch of an if)
    if name is None:
        name = lowerer.fresh(f"{lowerer.first_param}_{target.attr.value}")
        lowerer.init_attrs[target.attr.value] = name
    return name


def _held(obj):
    """The IR value of a function an object is given: the function, or the pick that finds it."""
    return obj if isinstance(obj, Call) else Const(obj)


def init_function(lowerer, s, loc):
    """`self.act = act` in an inlined __init__, where act is a module-level function (a def or lambda
    of the module, a numpy function; passed in, defaulted or written there): the attribute holds that
    function, a constant of the object that its methods call (passes/function_attrs.py).  None
    where s is no such statement; a function that is not module-level is refused."""
    from .. import ir
    from . import function_values
    if not (isinstance(s, cst.Assign) and len(s.targets) == 1):
        return None
    target = s.targets[0].target
    branches = _default_choice(lowerer, target, s.value)
    if branches is not None:  # self.post = post if post is not None else np.cos; self.act = act or np.tanh
        return lowerer.statement_of(lowerer.remade(branches, s), loc)
    if isinstance(target, (cst.Tuple, cst.List)) and isinstance(s.value, (cst.Tuple, cst.List)) \
            and len(target.elements) == len(s.value.elements) \
            and not any(isinstance(el, cst.StarredElement) for el in list(target.elements) + list(s.value.elements)):
        # self.W, self.act = W, act: the functions held apart, the rest assigned as written (a
        # function value reads nothing, so Python's order of the other reads and writes is kept)
        pairs = [(t.value, v.value) for t, v in zip(target.elements, s.value.elements)]
        held = [(t, v) for t, v in pairs if is_init_attribute(lowerer, t) and function_values.looks_like_value(lowerer, v)]
        if not held:
            return None
        rest = [(t, v) for t, v in pairs if (t, v) not in held]
        out = [] if not rest else lowerer.small(lowerer.remade(cst.Assign(
            [cst.AssignTarget(cst.Tuple([cst.Element(t) for t, _ in rest]))],
            cst.Tuple([cst.Element(v) for _, v in rest])), s), loc)
        for t, v in held:
            out += lowerer.small(lowerer.remade(cst.Assign([cst.AssignTarget(t)], v), s), loc)  # (this function)
        return out
    if not (is_init_attribute(lowerer, target) and function_values.looks_like_value(lowerer, s.value)):
        return None
    obj = module_function(lowerer, s.value, f"'{lowerer.first_param}.{target.attr.value} = ...'")
    if obj is None:
        return None
    return lowerer.flush([ir.Assign((init_attribute(lowerer, target),), _held(obj), loc)])


def _default_choice(lowerer, target, value):
    """`self.f = f if f is not None else np.cos` / `self.f = f or np.tanh` in an inlined __init__, one
    side a function: the if statement it stands for (`if f is not None: self.f = f` / `else: self.f =
    np.cos`; `or`: `if f: ...`), whose test the container pass decides from what the construction
    passed, each branch an assignment init_function reads; None for any other statement.  Only
    names and attributes are read twice so (they run no code)."""
    from . import function_values
    if not is_init_attribute(lowerer, target):
        return None
    if isinstance(value, cst.IfExp):
        test, yes, no = value.test, value.body, value.orelse
    elif isinstance(value, cst.BooleanOperation) and isinstance(value.operator, cst.Or) \
            and isinstance(value.left, (cst.Name, cst.Attribute)):
        test, yes, no = value.left, value.left, value.right
    else:
        return None
    functions = [function_values.looks_like_value(lowerer, x) for x in (yes, no)]
    if not any(functions) or all(functions) and isinstance(value, cst.IfExp) \
            or not all(isinstance(x, (cst.Name, cst.Attribute)) for x in (yes, no)):
        return None  # (two functions of a conditional: function_values' choice, picked when compiling or refused)

    def assign(v):
        return cst.IndentedBlock([cst.SimpleStatementLine([cst.Assign([cst.AssignTarget(target)], v)])])
    return cst.If(test=test, body=assign(yes), orelse=cst.Else(assign(no)))


def module_function(lowerer, node, what):
    """The module-level function the expression node denotes, for an object made in the function to
    hold (None: node is no function value); any other function value is refused."""
    from ..errors import UnsupportedSyntaxError
    from ..passes.trees import function_attribute
    from . import function_values
    value = function_values.value_of(lowerer, node)
    if value is None:
        return None
    picked = _picked_functions(lowerer, value)
    if picked is not None:  # Dense(W, b, ACTS[i]) in a loop over the layers: the entry, when compiling
        return picked
    obj = value.obj if isinstance(value, function_values.Known) else value  # (a def passed in: itself)
    if not (isinstance(obj, types.FunctionType) or isinstance(value, function_values.Known)) \
            or not function_attribute(obj):
        raise lowerer.error(UnsupportedSyntaxError, f"{what} stores a function that is not a module-level one (a "
                            "nested def or lambda of the function, a factory's function, a choice made when it runs, a "
                            "list of functions, a partial): an object made in the function holds a def, lambda or numpy function of the "
                            "module; define it there and pass it", node)
    return obj


def _picked_functions(lowerer, value):
    """`function_pick(key, keys, functions)` for a function value picked from a table of module-level
    functions by a key (`ACTS[i]`, `a` of `for (W, b), a in zip(params, ACTS)`), which the container
    pass replaces by the entry where the key is known when compiling (an unrolled loop's position)
    and refuses elsewhere (passes/function_attrs.pick); None for any other value."""
    from .. import ir
    from ..passes.trees import function_attribute
    from .dispatch import Picked, _table_of
    from .function_values import Known, Table
    if not isinstance(value, Picked):
        return None
    if isinstance(value.table, Table):
        entries = value.table.entries
    else:
        found = _table_of(lowerer, cst.Subscript(value.table, [cst.SubscriptElement(cst.Index(cst.Name(value.key)))]))
        if found is None:
            return None
        entries = found[2]
    objs = [f.obj if isinstance(f, Known) else f for _, f in entries]
    if not all(o is None or function_attribute(o) for o in objs):
        return None
    return ir.Call("function_pick", (ir.Name(value.key), ir.Const(tuple(k for k, _ in entries)),
                                     ir.Const(tuple(objs))))


def with_functions(lowerer, e, label):
    """call_args of the construction e, a module-level function given as an argument (`Lin(W,
    np.cos)`) as that function's Const (the object holds it: passes/function_attrs.py), or the pick
    that finds it."""
    from . import function_values
    held, plain = [], []
    for a in e.args:
        obj = module_function(lowerer, a.value, f"'{label}(...)'") if not any(b.star for b in e.args) and \
            function_values.looks_like_value(lowerer, a.value) else None  # (with a *t: a value, refused)
        held.append(obj)
        plain.append(a if obj is None else a.with_changes(value=cst.Name("None")))
    args, kwargs = lowerer.call_args(lowerer.remade(e.with_changes(args=plain), e))
    if not any(obj is not None for obj in held):
        return args, kwargs
    given = iter(obj for a, obj in zip(e.args, held) if a.keyword is None)  # (no star: every position is one)
    args = tuple(_held(obj) if obj is not None else x for x, obj in zip(args, given))
    named = {a.keyword.value: obj for a, obj in zip(e.args, held) if a.keyword is not None and obj is not None}
    return args, tuple((k, _held(named[k]) if k in named else v) for k, v in kwargs)
