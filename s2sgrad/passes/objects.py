"""Objects of user classes during flattening: `layer(x)`, `layer.forward(x)`, `layer.weight` (a
@property), `for l in layers: h = l(h)`, and objects made in the function (`Lin(W, b)(x)`).

An object argument is a container of its attributes (passes/containers.py reads its attributes
as leaves); its class is part of its Tree, so part of the signature.  The frontend cannot know
which class an argument has, so it lowers a call on an object to the deferred op
`obj_method(receiver, "name", *args)`; here, where the receiver's Tree is known, the call is
resolved on the receiver's class exactly as Python would: an instance attribute holding an object
is called through that object's `__call__`; otherwise the name is looked up along the class's MRO
(`inspect.getattr_static`): a plain function is inlined with the receiver as `self`, a
@staticmethod without it.  A @property read on an object (`getattr` of a name that is not an
attribute) is its getter inlined.  An object made in the function (`obj_new`, frontend/methods.py
inlined its `__init__`) is a container of the values its `__init__` assigned.

Guarantees: a method runs the source Python would run for that instance (anything else -- a
classmethod, a descriptor, a method set on the instance, recursion -- is refused at the user's
line); the inlined body is flattened in place, so its reads of `self` become the object's leaves;
every global a method reads is guarded like the function's own (a rebinding recompiles), and so is
every name looked up on a class (a method, property or class number: `Layer.gain = 2.0` or a method
patched onto the class after compiling recompiles, as a rebound global does); an object made in the
function never escapes as a run-time value (refused where it would).
"""
from __future__ import annotations

import dataclasses
import inspect
import types

from ..errors import UnknownFunctionError, UnsupportedSyntaxError
from .. import ir
from ..ir import Const, Name
from ..rules.nondiff import STR_METHODS
from . import confined, function_attrs, private_attrs, rng_draws
from .object_values import _held, _replaced, _replaced_fields, _snapshot

OBJECT_OPS = {"obj_method", "obj_new", "obj_replace", "named_new"}


def _describe(cls):
    return f"'{cls.__name__}'"


def call(flat, e, loc):
    """The value of an `obj_method` or `obj_new` call, its inlined statements appended to flat.pre."""
    from .containers import CTree
    if e.op == "obj_new":  # obj_new(cls, attr=value, ...): the object __init__ made
        cls = e.args[0].value
        keys = [k for k, _ in e.kwargs]
        items = []
        for k, v in e.kwargs:
            value = flat.ev(v, loc)
            if private_attrs.is_container(value) and not private_attrs.made_for_it(v, value):
                private_attrs.share(flat, k, loc, f"a {cls.__name__} made holding a container another name may hold")
            items.append(_snapshot(flat, cls, k, value, loc))
        return CTree("object", keys, items, None, cls)
    if e.op == "named_new":  # named_new(cls, field values...): a named tuple made in the function
        cls = e.args[0].value
        items = [_snapshot(flat, cls, f, flat.ev(v, loc), loc) for f, v in zip(cls._fields, e.args[1:])]
        return CTree("tuple", list(range(len(items))), items, None, cls)
    if e.op == "obj_method" and len(e.args) >= 2 and e.args[1] == Const("_replace"):  # p._replace(w=...)
        base = flat.ev(e.args[0], loc)
        if isinstance(base, CTree) and base.kind == "tuple" and hasattr(base.cls, "_fields") and len(e.args) == 2:
            return _replaced_fields(flat, base, e.kwargs, loc)
    if e.op == "obj_replace":  # dataclasses.replace(obj, field=value, ...)
        made = _replaced(flat, flat.ev(e.args[0], loc), e.kwargs, loc)
        for k, x in zip(made.keys, made.items):  # (the fields not given: the old object's containers)
            if private_attrs.is_container(x):
                private_attrs.share(flat, k, loc, "dataclasses.replace: two objects holding one container")
        return made
    receiver, name = flat.ev(e.args[0], loc), e.args[1].value
    args, kwargs = e.args[2:], e.kwargs
    if not isinstance(receiver, CTree) and name in rng_draws.GENERATOR_METHODS:
        return rng_draws.draw(flat, receiver, name, args, kwargs, loc)  # rng.standard_normal(n)
    if isinstance(receiver, Name) and receiver.id in flat.generators:
        raise UnsupportedSyntaxError(f"'{receiver.id}.{name}()' of a random Generator: s2sgrad draws "
                                     f"{', '.join(sorted(rng_draws.GENERATOR_METHODS))} from one (the others have "
                                     "parameters it does not differentiate through a draw)", loc)
    if not isinstance(receiver, CTree) and name in STR_METHODS:  # ', '.join(names), msg.upper()
        return str_method(flat, receiver, name, args, kwargs, loc)
    if isinstance(receiver, CTree) and receiver.kind in ("dict", "list") and name in _CHANGING:
        raise UnsupportedSyntaxError(
            f"'.{name}()' changes the {receiver.kind} in place; s2sgrad follows that only on a name the function "
            f"binds to a {receiver.kind} it makes (d = {{...}}; d.{name}(...)): for one an object or a container "
            "holds, set it to a new one (obj.m = {**obj.m, k: v}) or write by key (obj.m[k] = v)", loc)
    if not (isinstance(receiver, CTree) and receiver.kind == "object" and receiver.cls is not None):
        what = "a call of" if name == "__call__" else f"the method '.{name}()' of"
        if isinstance(receiver, CTree):
            raise UnsupportedSyntaxError(f"{what} a {receiver.kind} (index it to reach the object to call)", loc)
        if name != "__call__":
            raise UnknownFunctionError(f"array method '.{name}()' has no differentiation rule (and the value it is "
                                       "called on is not an object of a user class)", loc)
        raise UnsupportedSyntaxError("calling a value that is not an object of a user class with a __call__ "
                                     "method s2sgrad can inline (call the function by its name; an object "
                                     "with __slots__ has no __dict__ for s2sgrad to read its attributes from)", loc)
    cls = receiver.cls
    _refuse_hidden(receiver, name, loc)
    if name in receiver.keys and name != "__call__":  # an instance attribute: an object called
        inner = receiver.child(name, loc)
        if isinstance(inner, CTree) and inner.kind == "object":
            return _inline(flat, inner, "__call__", args, kwargs, loc, held_by=f"the attribute '{name}'")
        if name in function_attrs.held(receiver):  # layer.act(z) of Dense(W, b, act=np.tanh)
            return function_attrs.call(flat, receiver, name, inner.value, args, kwargs, loc)
        raise UnsupportedSyntaxError(f"calling the attribute '{name}' of a {_describe(cls)} object, which holds a "
                                     "value rather than a method (only objects of user classes and methods "
                                     "defined in the class are called)", loc)
    return _inline(flat, receiver, name, args, kwargs, loc, held_by=e.args[0], call_expr=e)


_CHANGING = frozenset({"update", "pop", "setdefault", "clear", "popitem", "append", "extend", "insert", "remove",
                       "sort", "reverse"})


def str_method(flat, receiver, name, args, kwargs, loc):
    """`", ".join(names)`, `"{} keys".format(n)`, `tag.upper()`: a string's method, folded when
    compiling where the string and its arguments are known (container_values.folded_text: a key of
    an unrolled loop), else run as written (rules/nondiff.py: text, no derivative)."""
    from .container_values import folded_text
    vals = tuple(flat.runtime(a, loc) for a in args)
    kw = tuple((k, flat.runtime(v, loc)) for k, v in kwargs)
    folded = folded_text(f".{name}", (receiver,) + vals) if not kw else None
    return folded if folded is not None else ir.Call(f".{name}", (receiver,) + vals, kw)


# Python operations on an object that run its class's code, not an array's or a dict's: obj.shape
# (and .T, .size, ...) is its attribute or property, m.get(k) / m.values() its method, len(m) its
# __len__; list(m) would run its __iter__ (refused)
PYTHON_ON_OBJECT = {"@T", "@shape", "@ndim", "@size", "@dtype", ".items", ".keys", ".values", ".get", "len", "list",
                    "tuple", "reversed", "sorted"}


def python_on_object(flat, e, tree, loc):
    """The value of `e` (an op in PYTHON_ON_OBJECT) whose first argument is the object `tree`."""
    from ..ir import Call
    if e.op.startswith("@"):
        return flat.call(Call("getattr", (e.args[0], Const(e.op[1:]))), loc)
    if e.op.startswith("."):  # these ops keep the arguments as written
        return call(flat, Call("obj_method", (e.args[0], Const(e.op[1:])) + tuple(e.args[1:]), e.kwargs), loc)
    if e.op == "len":
        return call(flat, Call("obj_method", (e.args[0], Const("__len__"))), loc)
    raise UnsupportedSyntaxError(f"{e.op}() of an object of {_describe(tree.cls)}: s2sgrad does not run a class's "
                                 "__iter__; read the attributes you need (obj.W)", loc)


def refuse_as_operand(op, tree, loc):
    """An object given to any other operation than an identity test or print: never the object itself
    at run time (numpy would call its methods: np.sum(m) runs m.sum(), and the gradient cannot flow
    through code s2sgrad has not read)."""
    if op in ("print", "is_", "is_not"):
        return
    name = tree.cls.__name__
    if op == "list_append":
        raise UnsupportedSyntaxError(f"an object of '{name}' appended to a list: s2sgrad resolves an object's "
                                     "methods when compiling, so keep objects in a list written out ([l1, l2]) or "
                                     "in a list argument", loc)
    op = op.lstrip(".")
    raise UnsupportedSyntaxError(f"an object of '{name}' given to the array operation '{op}' (np.{op}(obj), or "
                                 f"obj.{op}() where the class's method has an array method's name, which s2sgrad "
                                 "reads as the array method): rename the method (e.g. 'total' for 'sum'), or pass "
                                 "its arrays", loc)


def _constants(block):
    """A method's statements with every value they bind or set made a constant (stop_gradient):
    its body run under no_grad, as the frontend wraps the function's own assignments there."""
    out = []
    for st in block:
        if isinstance(st, (ir.Assign, ir.SetItem)) and st.value is not None:
            st = dataclasses.replace(st, value=_constant(st.value))
        out.append(ir.map_blocks(st, _constants))
    return tuple(out)


def _constant(value):
    """value as a constant, its container marks kept (`self.m[k] = v`: v constant; a fresh
    container's elements: a container known when compiling stays one)."""
    if isinstance(value, ir.Call) and value.op == "with_item":
        return ir.Call("with_item", value.args[:2] + (_constant(value.args[2]),))
    if isinstance(value, ir.Call) and value.op == "fresh_container":
        inner = value.args[0]
        if isinstance(inner, ir.DictExpr):
            inner = ir.DictExpr(inner.keys, tuple(map(_constant, inner.values)))
        elif isinstance(inner, (ir.ListExpr, ir.Tuple)):
            inner = type(inner)(tuple(map(_constant, inner.elts)))
        return ir.Call("fresh_container", (inner,))  # (a comprehension's name: its own writes made constant)
    return ir.Call("stop_gradient", (value,))


def attribute(flat, tree, name, loc):
    """`obj.name` where name is not an instance attribute: a @property's getter inlined, or a number
    the class holds (None: neither)."""
    raw = _static(tree.cls, name)
    if not isinstance(raw, property):  # a property (a data descriptor) wins over the instance's attribute
        _refuse_hidden(tree, name, loc)
    _guard_lookup(flat, tree.cls, name)
    if isinstance(raw, property) and isinstance(raw.fget, types.FunctionType):
        return _inline(flat, tree, name, (), (), loc, fn=raw.fget, bound=True)
    if isinstance(raw, (int, float, bool, str, type(None))) and hasattr(tree.cls, name):
        return Const(raw)  # a class attribute holding a number (gain = 0.5 in the class body)
    return None


def changeable(flat, name, tree, what, loc):
    """Refuse a change to the object `tree` through the variable `name` where another name or
    container could hold the object or something in it (confined.py): the variable must be used
    only through the object (confined), and the object must hold only numbers and arrays."""
    from .containers import CTree
    cls = getattr(tree.cls, "__name__", "object")
    other = flat.unconfined.get(name)
    if other is not None:
        shown = name if not name.startswith("self_obj") else "self"
        raise UnsupportedSyntaxError(f"{what} changes the '{cls}' object, and '{shown}' is also used as a value "
                                     f"({other}), so another name or container may hold the object and would not "
                                     "see the change here as it would in Python: use an object that changes only "
                                     f"through its attributes and methods ({shown}.x, {shown}.method(...)), never "
                                     "passed, stored, returned or bound to another name", loc)
    # (a container only the object holds -- made for it, never used as a value: private_attrs.py --
    # may stay in it; any other container, and any object, another name could reach)
    held = next((k for k, x in zip(tree.keys, tree.items) if isinstance(x, CTree) and (
        x.kind == "object" or k in flat.shared_attrs)), None)
    if held is not None:
        kind = tree.items[tree.keys.index(held)].kind
        at, why = flat.shared_attrs.get(held, (None, None))
        said = f" ({private_attrs._where(at)}: {why})" if why else ""
        raise UnsupportedSyntaxError(f"{what} changes the '{cls}' object, which holds the {kind} '{held}' that another "
                                     f"name or container may hold too{said}: an object that changes holds numbers, "
                                     "arrays and containers made for it alone (another name holding that "
                                     f"{kind} would not see the change here as it would in Python); keep the "
                                     f"{kind} in a variable of the function, or make a new object instead of "
                                     "changing this one", loc)


def settable(flat, cls, name, loc):
    """Refuse `obj.name = v` where Python would run the class's code rather than set the instance's
    attribute: a property or other data descriptor of that name, or a class that defines
    __setattr__ or __slots__ (each guarded: a class changed after compiling compiles again)."""
    for hook in ("__setattr__", "__slots__"):
        _guard_lookup(flat, cls, hook)
        owner = next((k for k in cls.__mro__ if hook in k.__dict__), object)
        if owner is not object:
            raise UnsupportedSyntaxError(f"assignment to the attribute '.{name}' of a {_describe(cls)} object, whose "
                                         f"class defines {hook} (s2sgrad does not run it): keep the value in a "
                                         "variable", loc)
    _guard_lookup(flat, cls, name)
    raw = _static(cls, name)
    if raw is not None and hasattr(type(raw), "__set__"):
        raise UnsupportedSyntaxError(f"assignment to '.{name}' of a {_describe(cls)} object, which its class defines "
                                     f"as a {type(raw).__name__} (setting it runs the class's code, which s2sgrad does "
                                     "not inline): keep the value in a variable", loc)


def _refuse_hidden(tree, name, loc):
    """An instance attribute s2sgrad does not read (a function set on the instance) shadows what the
    class defines under its name, so resolving the name on the class would run other code."""
    if name in tree.hidden:
        raise UnsupportedSyntaxError(f"'{name}' of this {_describe(tree.cls)} object is an attribute set on the "
                                     "instance holding a value s2sgrad does not read (a function or another "
                                     "object): define it as a method of the class, or hold an array or number",
                                     loc)


def _guard_lookup(flat, cls, name):
    """Guards for `name` looked up along cls's MRO: each class up to the one defining it must still
    hold what it held (absent, or the same object), so patching a class after compiling recompiles."""
    from ..frontend.lower import _MISSING  # the sentinel guards_hold compares with
    for klass in cls.__mro__:
        if klass.__module__ == "builtins":
            break
        value = klass.__dict__.get(name, _MISSING)
        flat.guards.append((klass, name, value))  # the class itself: one guard per name however often compiled
        if value is not _MISSING:
            break


def _static(cls, name):
    try:
        return inspect.getattr_static(cls, name)
    except AttributeError:
        return None


def _inline(flat, receiver, name, args, kwargs, loc, fn=None, bound=None, held_by="a @property", call_expr=None):
    from ..frontend import parse_function
    from ..frontend.spread import call_spread
    from .normalize import inline_body, own_globals
    cls = receiver.cls
    if fn is None:
        _guard_lookup(flat, cls, name)
        raw = _static(cls, name)
        if isinstance(raw, staticmethod) and isinstance(raw.__func__, types.FunctionType):
            fn, bound = raw.__func__, False
        elif isinstance(raw, types.FunctionType) and (cls.__module__ or "").partition(".")[0] not in ("s2sgrad",):
            fn, bound = raw, True
        elif name == "__call__":
            raise UnsupportedSyntaxError(f"calling a {_describe(cls)} object: its class defines no __call__ method "
                                         "s2sgrad can inline (a plain method)", loc)
        else:
            raise UnsupportedSyntaxError(f"{_describe(cls)} has no method '{name}' that s2sgrad can inline (a plain "
                                         "method, @staticmethod or @property)", loc)
    # blk(blk(x)): an argument calling a method is evaluated before this call, as Python does (in the
    # inlined body's parameter bindings it would run inside this call: a false recursion)
    args = tuple(flat.ev(a, loc) if _calls_method(a) else a for a in args)
    kwargs = tuple((k, flat.ev(v, loc) if _calls_method(v) else v) for k, v in kwargs)
    if (fn, id(receiver)) in flat.inlining:  # the same method of the same object, inside itself
        raise UnsupportedSyntaxError(f"recursive call to '{cls.__name__}.{fn.__name__}'", loc)
    keys, extra = call_spread(fn, len(args) + bool(bound), [k for k, _ in kwargs])  # (frontend/spread.py)
    # (the class goes with `self` only: a staticmethod's first parameter is whatever its call passes)
    parsed = own_globals(parse_function(fn, cls=cls if bound else None, keywords=keys, extra=extra,
                                        self_owned=bool(bound), self_functions=function_attrs.held(receiver) if bound
                                        else None),
                         flat.captured, flat.taken, fn.__name__)
    flat.captured.update(parsed.captured)
    flat.guards.extend(parsed.guards)
    changes = _changes_self(parsed.ir, cls, fn) if bound else None
    if fn.__defaults__ or fn.__kwdefaults__:  # the method's defaults, compiled in (frontend/guards.py)
        from ..frontend.guards import DefaultsOf, SameDefaults
        flat.guards.append((DefaultsOf(fn), "__defaults__", SameDefaults(fn)))
    if changes is not None and name in ("__len__", "get", "items", "keys", "values"):
        # (run by len(obj), obj.get(k)...: read as a value, eagerly where Python may not run it)
        raise UnsupportedSyntaxError(f"'{cls.__name__}.{name}' changes its object ({changes}): a method s2sgrad "
                                     "runs for len() or a dict's method name must not change the object; give the "
                                     "change a method of its own name", loc)
    if changes is not None:
        _check_receiver(flat, receiver, held_by, changes, loc, call_expr)
    if bound:
        self_arg = Name(flat.bind_tree(receiver, internal=changes is None))
        args = (self_arg,) + tuple(args)
    # (a dunder method's locals read as its operator's: add_x for __add__'s x)
    label = fn.__name__ if fn.__name__.isidentifier() else name  # (`__add__ = lambda self, o: ...`)
    base = cls.__name__.lower() if label == "__call__" else label.strip("_") or label
    n = flat.inline_count.get(base, 0) + 1
    flat.inline_count[base] = n
    prefix = base if n == 1 else f"{base}{n}"
    try:
        stmts, result = inline_body(parsed.ir, tuple(args), tuple(kwargs), prefix, flat.taken, fn, loc,
                                    avoid=flat.captured.keys(), spread=parsed.spread)
    except TypeError as err:
        raise UnsupportedSyntaxError(f"call to '{cls.__name__}.{fn.__name__}': {err}", loc) from None
    if flat.no_grad:  # (called under no_grad: everything it computes, and sets, is a constant)
        stmts, result = _constants(stmts), ir.Call("stop_gradient", (result,))
    for n, at in confined.violations(stmts).items():  # (the method's own names, and self: confined.py)
        flat.unconfined.setdefault(n, at)
    private_attrs.share_all(flat, private_attrs.escapes(stmts))  # (self.m used as a value)
    private_attrs.share_all(flat, private_attrs.returned(result, loc))  # (return self.m: the caller holds it)
    flat.inlining.append((fn, id(receiver)))
    written = ir.all_writes(stmts)  # (the method's names bound once are known constants where their value is)
    flat.once = frozenset(flat.once) | {n for n in written if written.count(n) == 1 and n.startswith(f"{prefix}_")}
    try:
        flat.pre.extend(flat.block(stmts))
        value = flat.ev(result, loc)
    finally:
        flat.inlining.pop()
    changed = flat.env.get(self_arg.id) if bound else None
    if changes is None and bound and changed is not receiver:  # (a change the method's source did not show)
        raise UnsupportedSyntaxError(f"'{cls.__name__}.{fn.__name__}' changes its object in a way s2sgrad did not "
                                     "find in its source: set the attributes in the method itself", loc)
    if _holds(value, receiver) or changed is not None and _holds(value, changed):
        # o2 = obj.me(): a second name for the object, so no name for it may change it (confined.py)
        said = f"line {loc.line}: {loc.text.strip()} (returns the object)" if loc is not None and loc.text \
            else "a method returning the object"
        for n, v in list(flat.env.items()):
            if v is receiver or v is changed:
                flat.unconfined.setdefault(n, said)
        if changes is not None:
            raise UnsupportedSyntaxError(f"'{cls.__name__}.{fn.__name__}' changes its object ({changes}) and returns "
                                         "it (or a container holding it): the caller would hold one object under two "
                                         "names, which s2sgrad does not follow; return something else, and read the "
                                         "object from its variable", loc)
    if changes is not None:  # self.t = ... in the method: the caller's variable holds the object as changed
        flat.pre.extend(flat.block([ir.Assign((held_by.id,), self_arg, loc)]))
    if bound:
        flat.env.pop(self_arg.id, None)  # (self ends with the method: no second holder of the object)
    return value


def _calls_method(e) -> bool:
    return any(c.op == "obj_method" for c in ir.expr_calls(e))


def _changes_self(fn_ir, cls, fn):
    """Where the method `fn_ir` sets an attribute of its `self` ('self.t = ... at file:line'), or None."""
    from ..frontend.evaluation_order import change_of_self
    first = change_of_self(fn_ir, cls)
    if first is None:
        return None
    me = fn_ir.params[0]
    where = first.loc
    said = where.text.strip() if where is not None and where.text else \
        f"{me}.{first.index.value} = ..." if getattr(first, "attr", False) else f"{me}...."
    if any(me in ir.stmt_writes(st) for st in ir.walk(fn_ir.body) if not isinstance(st, ir.SetItem)):
        raise UnsupportedSyntaxError(f"'{cls.__name__}.{fn.__name__}' both binds '{me}' to another value and sets its "
                                     f"attributes: use another name for the other value", where)
    return f"{said} at {where.file}:{where.line}" if where is not None else said


def _check_receiver(flat, receiver, held_by, changes, loc, call_expr=None):
    """A method that changes its object is called on a variable confined to an object the function
    made (the change is put back into that variable: confined.py), else refused at the call."""
    cls = receiver.cls
    if receiver.path is not None:
        raise UnsupportedSyntaxError(f"this method of '{cls.__name__}' changes its object ({changes}), an argument "
                                     "of the differentiated function (or a global), which it cannot change: construct "
                                     "the object inside the function, or keep the changing values in variables", loc)
    if not (isinstance(held_by, Name) and flat.env.get(held_by.id) is receiver):
        what = ir.expr_src(held_by) if isinstance(held_by, ir.Expr) else held_by
        raise UnsupportedSyntaxError(f"this method of '{cls.__name__}' changes its object ({changes}), which is "
                                     f"reached through {what}: call it on a variable holding the object "
                                     "(obj = ...; obj.method(...)), whose changed object s2sgrad keeps in it", loc)
    changeable(flat, held_by.id, receiver, f"this method of '{cls.__name__}' ({changes})", loc)
    st = flat.current[-1] if flat.current else None
    reads = [n for e in (ir.exprs_of(st) if st is not None else ()) for n in ir.expr_names(e)]
    # (the receiver and the call's arguments are read before the method runs, as in Python: o.add(o.v))
    before = ir.expr_names(call_expr) if call_expr is not None else [held_by.id]
    nested = call_expr is not None and any(  # (o.add(o.bump()): a method on o in the arguments)
        c.op == "obj_method" and c.args and c.args[0] == held_by for a in call_expr.args[2:] for c in ir.expr_calls(a))
    if nested or reads.count(held_by.id) > before.count(held_by.id):  # (what other reads see: Python's order)
        raise UnsupportedSyntaxError(f"this method of '{cls.__name__}' changes its object ({changes}), and the "
                                     f"statement reads '{held_by.id}' again, which would see the object before or "
                                     "after the change by Python's order of evaluation: call the method in a "
                                     f"statement of its own (r = {held_by.id}.method(...)), then read it", loc)


def _holds(value, tree):
    """Whether the compile-time value is `tree` or a container holding it."""
    from .containers import CTree
    if value is tree:
        return True
    return isinstance(value, CTree) and any(_holds(x, tree) for x in value.items)


def uses_objects(fn) -> bool:
    """Whether the lowered function calls on objects or writes an attribute (so it is flattened even
    without containers: an attribute write is read nowhere else, container_writes.py)."""
    from .. import ir
    return any(c.op in OBJECT_OPS for st in ir.walk(fn.body) for c in ir.stmt_calls(st)) or \
        any(isinstance(st, ir.SetItem) and st.attr for st in ir.walk(fn.body))


def hold_elements(flat, target, value, loc, literal=None):
    """A tuple, list or dict bound to `target` (a literal, or what a method returned): a
    compile-time container of its elements (so `h, c = cell.step(...)` unpacks it), each element
    that is computed, or a name bound again somewhere, bound to a name of its own first
    (`target_0`, `d_a`), so a later read sees the value it held even if a name in it is bound
    again (`d = {'a': x}; x = x + 1; d['a']` is the first x).  Writes in place into such a name
    are refused by the alias fence (frontend/aliasing.py: the container holds its array).
    `literal`: the expression as written, whose nested literals are held the same way."""
    from .containers import CTree
    from ..ir import DictExpr, ListExpr, Tuple
    if isinstance(value, CTree):
        keys, elts, kind = value.keys, value.items, value.kind
    else:
        keys, elts, kind = list(range(len(value.elts))), value.elts, "tuple" if isinstance(value, Tuple) else "list"
    if isinstance(literal, DictExpr):  # (a key written twice holds its last value, as in ev)
        written = list({k.value: v for k, v in zip(literal.keys, literal.values)}.values())
    else:
        written = getattr(literal, "elts", (None,) * len(elts))
    items = []
    for k, x, w in zip(keys, elts, written):
        part = f"{target}_{k}" if f"{target}_{k}".isidentifier() else f"{target}_{len(items)}"  # (d_-1: d_0)
        if isinstance(w, (Tuple, ListExpr, DictExpr)) and (isinstance(x, CTree) and x.path is None or isinstance(
                x, (Tuple, ListExpr)) and x.elts):  # a literal inside the literal: held the same way
            items.append(hold_elements(flat, part, x, loc, w))
            continue
        items.append(_held(flat, part, x, loc))
    if isinstance(value, CTree):
        return CTree(kind, list(keys), items, value.path, value.cls, value.hidden)
    return CTree(kind, list(range(len(items))), items)
