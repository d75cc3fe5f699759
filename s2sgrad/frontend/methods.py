"""Methods: `self.forward(X)`, `self.W1`, `@property`, `@staticmethod`, inherited methods.

A bound method is differentiated as its function with `self` as an argument; `self` is an object
argument whose attributes are read when compiling (passes/containers.py flattens it like a dict of
arrays), so `self.W1` becomes the leaf variable `W1`.  Calls of other methods on `self` are inlined
(the method found on the class along its MRO, exactly as Python would find it), `@property` getters
are inlined where the attribute is read, and `@staticmethod`s are inlined without `self`.

Guarantee: a call or attribute on `self` resolves to the same function Python would call on an
instance of the class; anything else on `self` (a classmethod, a descriptor, an attribute set by
the method) is left to the container pass, which refuses what it cannot read.

Objects made in the function (`Lin(W, b)`, a dataclass) are lowered here too: the class's
`__init__` is inlined, its `self.W = ...` assignments becoming the values of `obj_new(Lin, W=...)`,
which passes/objects.py turns into a compile-time object.  Guarantee: only an `__init__` that
assigns attributes from its arguments, in straight-line code that never reads `self`, is inlined;
any other is refused at the construction line, naming the `__init__` line.
"""
from __future__ import annotations

import dataclasses
import inspect
import types

import libcst as cst

from .held_functions import init_attribute, is_init_attribute, with_functions  # noqa: F401 (simple.py reads them here)


def _self_name(lowerer, node):
    """The class whose method is being lowered, when `node` is that method's first parameter."""
    cls = getattr(lowerer, "cls", None)
    if cls is None or not isinstance(node, cst.Name):
        return None
    first = getattr(lowerer, "first_param", None)
    return cls if node.value == first else None


def _static_attr(lowerer, e: cst.Attribute):
    """What the class holds under `self.name` (found as Python finds it, along the MRO), or None."""
    cls = _self_name(lowerer, e.value)
    if cls is None:
        return None
    _guard_class_lookup(lowerer, cls, e.attr.value)
    try:
        return inspect.getattr_static(cls, e.attr.value)
    except AttributeError:
        return None


def _guard_class_lookup(lowerer, cls, name):
    """Guards for `self.name` looked up along cls's MRO, as Python finds it: every class up to the one
    defining it must still hold what it held (absent, or the same object), so replacing a method or
    a class attribute after compiling (`Crit.act = other`, `Model.scale = 5.0`) compiles again."""
    from .lower import _MISSING
    for klass in cls.__mro__:
        if klass.__module__ == "builtins":
            break
        value = klass.__dict__.get(name, _MISSING)
        lowerer.guards[("class attribute", id(klass), name)] = (klass, name, value)
        if value is not _MISSING:
            break


def method_of(lowerer, func: cst.Attribute):
    """(function, pass self?) for `self.name(...)`, or None when it is not a method of the class."""
    raw = _static_attr(lowerer, func)
    if isinstance(raw, staticmethod):
        return raw.__func__, False
    if isinstance(raw, types.FunctionType):
        return raw, True
    return None


def super_method(lowerer, func: cst.Attribute):
    """(function, pass self?) for `super().name(...)` in a method being inlined: the method Python's
    super() finds -- along the object's class's MRO, after the class that defines the method being
    lowered (its `__class__` cell) --, or None when func is not `super().name`."""
    from ..errors import UnsupportedSyntaxError
    head = func.value
    if not (isinstance(head, cst.Call) and not head.args and isinstance(head.func, cst.Name)
            and lowerer.static_callee(head.func) is super):
        return None
    cls, fn, name = getattr(lowerer, "cls", None), lowerer.fn, func.attr.value
    code = getattr(fn, "__code__", None)
    cells = dict(zip(code.co_freevars, fn.__closure__ or ())) if code is not None else {}
    defining = cells["__class__"].cell_contents if "__class__" in cells else None
    if cls is None or not isinstance(defining, type) or defining not in cls.__mro__ or lowerer.first_param is None:
        raise lowerer.error(UnsupportedSyntaxError, "super() outside a method s2sgrad inlines on its object (call "
                            "the parent class's method by name: Parent.method(self, ...))", head)
    after = cls.__mro__[cls.__mro__.index(defining) + 1:]
    owner = next((c for c in after if name in vars(c)), None)
    raw = vars(owner)[name] if owner is not None else None
    for c in after[:after.index(owner) + 1] if owner is not None else after:  # (each class it looked in:
        # a method given to one of them later compiles again; the label names the class searched from)
        lowerer.guards[("super", id(defining), id(c), name)] = (c, name, vars(c).get(name, _missing()))
    if isinstance(raw, staticmethod) and isinstance(raw.__func__, types.FunctionType):
        return raw.__func__, False
    if isinstance(raw, types.FunctionType) and owner is not object:
        return raw, True
    raise lowerer.error(UnsupportedSyntaxError, f"super().{name}: no plain method '{name}' after "
                        f"'{defining.__name__}' in the class's MRO that s2sgrad can inline", func)


def _missing():
    from .lower import _MISSING  # (a guard's "not there": frontend/names._guard_attribute)
    return _MISSING


def calls_own_method(lowerer, s) -> bool:
    """Whether statement s calls a method of a user's class on `self` or on a name only ever bound
    to objects the function makes (`self.update(b)`, `rm.pop()`): that method, never the dict's or
    list's method of the same name."""
    value = s.value if isinstance(s, (cst.Expr, cst.Assign)) else None
    if not (isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute)
            and isinstance(value.func.value, cst.Name)):
        return False
    name, meth = value.func.value.value, value.func.attr.value
    if _self_name(lowerer, value.func.value) is not None:
        return method_of(lowerer, value.func) is not None
    classes = lowerer.made_classes.get(name, set())
    return bool(classes) and None not in classes and all(
        isinstance(inspect.getattr_static(c, meth, None), (types.FunctionType, staticmethod)) for c in classes)


def property_of(lowerer, e: cst.Attribute):
    """The getter of `self.name` when `name` is a @property of the class (None otherwise)."""
    raw = _static_attr(lowerer, e)
    return raw.fget if isinstance(raw, property) and isinstance(raw.fget, types.FunctionType) else None


# ------------------------------------------------------------------------------ objects made in the function
def user_class(obj) -> bool:
    """A class the user wrote (not a builtin, numpy's or s2sgrad's): constructing it is inlined."""
    if not isinstance(obj, type) or issubclass(obj, BaseException):
        return False
    import sys
    mod = (obj.__module__ or "").partition(".")[0]
    # (itertools.pairwise is a class of the standard library: not the user's, so not inlined)
    return mod not in ("builtins", "numpy", "s2sgrad", "scipy", "math", "typing", "collections", "functools") \
        and mod not in sys.stdlib_module_names \
        and not mod.startswith("_cython")  # (np.random.default_rng's type: a compiled function)


def construct(lowerer, cls, e, label):
    """`Lin(W, b)` as `obj_new(Lin, W=..., b=...)`: the attributes the inlined `__init__` assigned
    (passes/objects.py makes the object a compile-time container of them).  An `__init__` that does
    anything but assign attributes from its arguments is refused at the construction line."""
    from .. import ir
    from ..errors import S2SGradError, UnsupportedSyntaxError
    from ..ir import Call, Const
    init = inspect.getattr_static(cls, "__init__", None)
    if dataclasses.is_dataclass(cls) and not hasattr(cls, "__post_init__") and generated_init(cls):
        return _dataclass(lowerer, cls, e, label)
    if issubclass(cls, tuple) and hasattr(cls, "_fields"):  # P(w, b) of a named tuple: a tuple of its fields
        args, kwargs = lowerer.call_args(e)
        try:
            bound = inspect.signature(cls).bind(*args, **dict(kwargs))
        except TypeError as err:
            raise lowerer.error(UnsupportedSyntaxError, f"constructing '{label}': {err}", e) from None
        bound.apply_defaults()
        values = [v if isinstance(v, ir.Expr) else Const(v) for v in bound.arguments.values()]
        return Call("named_new", (Const(cls),) + tuple(values))
    instead = (f"construct the {cls.__name__} outside the function and pass it as an argument (its array "
               "attributes are differentiated like a dict's), or write an __init__ that only assigns attributes "
               "from its arguments (self.W = W)")
    if dataclasses.is_dataclass(cls) and generated_init(cls):  # no source, and it calls __post_init__
        raise lowerer.error(UnsupportedSyntaxError, f"constructing '{label}': a dataclass with a __post_init__, "
                            f"which s2sgrad does not inline; {instead}", e)
    if init is object.__init__:
        if e.args:
            raise lowerer.error(UnsupportedSyntaxError, f"'{label}' takes no arguments (its class has no __init__)", e)
        return Call("obj_new", (Const(cls),))
    if not isinstance(init, types.FunctionType):
        raise lowerer.error(UnsupportedSyntaxError, f"constructing '{label}': its __init__ is not a plain function "
                            f"whose source s2sgrad can read; {instead}", e)
    try:
        return lowerer.inline(init, e, label, pre_args=(Const(None),), init_of=cls)
    except S2SGradError as err:
        if err.loc is not None and err.loc == lowerer.loc(e):
            raise
        where = f" ({err.loc.file}:{err.loc.line}: {err.loc.text.strip()})" if err.loc is not None else ""
        reason = err.message
        raise lowerer.error(UnsupportedSyntaxError, f"constructing '{label}': its __init__ cannot be inlined: "
                            f"{reason}{where}; {instead}", e) from None


def attribute_write(lowerer, target: cst.Attribute, value, loc, inplace=False):
    """`obj.t = value` (`obj.t op= v` when inplace): a write into the local name `obj` at the key
    't', which the container pass makes a new object bound to `obj` (passes/container_writes.py:
    only for an object the function made; an argument's is refused there), and the alias fence
    refuses where another name may hold the same object.  A method's `self.t = ...` is such a
    write too, put back into the caller's variable where the method was called (passes/objects.py)."""
    from .. import ir
    from ..errors import UnsupportedSyntaxError
    from ..ir import Const
    root = target.value
    attr = target.attr.value
    if not isinstance(root, cst.Name):
        raise lowerer.error(UnsupportedSyntaxError, f"assignment to the attribute '.{attr}' of an expression "
                            "(s2sgrad writes attributes of a variable holding an object the function made: bind "
                            "the object to a name first, or keep the value in a variable)", target)
    if root.value not in lowerer.locals:
        raise lowerer.error(UnsupportedSyntaxError, f"assignment to the attribute '.{attr}' of '{root.value}', "
                            "a module-level or closure object, which a differentiated function cannot change "
                            "(keep the value in a variable, or return it)", target)
    return [ir.SetItem(root.value, Const(attr), value, loc, inplace=inplace, attr=True)]


def fresh(lowerer, value):
    """`fresh_container(value)` where `value` is a container made right there -- a literal, a
    comprehension, `dict(...)`, `list(...)`, `.copy()` -- that no other name holds: an attribute
    bound to it may be written into by element (passes/private_attrs.py); any other value as it is."""
    from .. import ir
    from ..ir import Call, Name
    made = isinstance(value, (ir.DictExpr, ir.ListExpr)) or isinstance(value, Call) and value.op in (
        "dict", "list", ".copy") or isinstance(value, Name) and value.id in lowerer.fresh_containers
    return Call("fresh_container", (value,)) if made else value


def element_write(lowerer, target: cst.Subscript, value, loc):
    """`obj.m[k] = v`: the attribute set to the container it holds with v at k (`with_item`), which
    passes/private_attrs.py accepts only where the object is that container's one holder; in an
    inlined __init__, a write into the local name that becomes the attribute."""
    from .. import ir
    from ..errors import UnsupportedSyntaxError
    from ..ir import Call
    inner = target.value
    attr = inner.attr.value
    index = lowerer.index(target)
    value = fresh(lowerer, value)  # (a container stored there: one made for it, passes/private_attrs.py)
    if is_init_attribute(lowerer, inner):
        name = lowerer.init_attrs.get(attr)
        if name is None:
            raise lowerer.error(UnsupportedSyntaxError, f"a write into '{lowerer.first_param}.{attr}[...]' before the "
                                f"__init__ sets '{lowerer.first_param}.{attr}' (set it first: "
                                f"{lowerer.first_param}.{attr} = {{}})", target)
        return [ir.SetItem(name, index, value, loc)]
    if property_of(lowerer, inner) is not None:
        raise lowerer.error(UnsupportedSyntaxError, nested_write_message(target), target)
    return attribute_write(lowerer, inner, Call("with_item", (lowerer.expr(inner), index, value)), loc)


def is_element_write(target) -> bool:
    """Whether target is `name.attr[index]` (element_write's form)."""
    return isinstance(target, cst.Subscript) and isinstance(target.value, cst.Attribute) \
        and isinstance(target.value.value, cst.Name)


def nested_write_message(target: cst.Subscript, augmented=False) -> str:
    """The refusal of `obj.m[k] = v` or `d['a'][k] = v`: a write into a container that is not bound
    to a variable, with the rewrite that s2sgrad follows."""
    inner = cst.Module([]).code_for_node(target.value)
    if augmented and is_element_write(target):
        k = cst.Module([]).code_for_node(target.slice[0].slice) if len(target.slice) == 1 else "k"
        return (f"an update in place of an element of '{inner}' ({inner}[{k}] op= v) changes the array the container "
                "holds, which other names may hold too (numpy semantics), and s2sgrad cannot follow that: write "
                f"{inner}[{k}] = {inner}[{k}] op v (a new array)")
    if isinstance(target.value, cst.Attribute):
        return (f"assignment into an element of '{inner}', which an object holds (a dict, list or array: every "
                "name holding it would see the write in Python, and s2sgrad cannot tell which do): keep it in a "
                "variable of the function and write there, or set the attribute to a new value (an array: "
                f"v = {inner}.copy(); v[i] = ...; {inner} = v)")
    if isinstance(target.value, cst.Subscript):
        return (f"assignment into an element of '{inner}', a part of another array or container (every name "
                f"holding it would see the write in Python, and s2sgrad cannot tell which do): for an array, index "
                f"once (X[mask, 1] = v, not X[:, 1][mask] = v); for a dict or list, copy it, write, and put it "
                f"back: m = dict({inner}) (or list(...)); m[k] = v; then store m where it belongs")
    return "assignment to a subscript of an expression"


def finish_init(lowerer, fdef, body):
    """An inlined __init__'s body: straight-line attribute assignments, then `return obj_new(...)`."""
    from .. import ir
    from ..errors import UnsupportedSyntaxError
    from ..ir import Assign, Call, Const, Name
    for s in body:
        if isinstance(s, (ir.ExprStmt, ir.For, ir.If, ir.While, ir.SetItem)):  # assert, print, raise, the
            continue  # loops of a comprehension (self.m = {k: ... for k in params}): run as the object is made
        if not isinstance(s, Assign):
            raise UnsupportedSyntaxError("only assignments, loops and branches are inlined from an __init__, "
                                         f"not this {type(s).__name__.lower()} statement", s.loc)
    if lowerer.first_param in ir.all_reads(body):
        where = next(s.loc for s in body if lowerer.first_param in ir.all_reads([s]))
        raise UnsupportedSyntaxError(f"the __init__ reads {lowerer.first_param} (compute each attribute from the "
                                     f"arguments: {lowerer.first_param}.b = W * 2, not "
                                     f"{lowerer.first_param}.W * 2)", where)
    values, kept = {}, []
    for i, s in enumerate(body):
        if not isinstance(s, Assign):
            kept.append(s)
            continue
        # self.W = W * s: the value itself goes into obj_new (the flattener binds it to lin_W once, as
        # the object is made) unless a name it reads is bound again later in the __init__
        later = set(ir.all_writes(body[i + 1:]))
        if s.target in lowerer.init_attrs.values() and len(s.targets) == 1 and s.target not in later and \
                not (set(ir.expr_names(s.value)) & later):  # (nor the attribute set again after)
            values[s.target] = s.value
        else:
            kept.append(s)
    kwargs = tuple((attr, values[name] if name in values else
                    Call("fresh_container", (Name(name),)) if _made_fresh(kept, name) else Name(name))
                   for attr, name in lowerer.init_attrs.items())
    return kept + [ir.Return(Call("obj_new", (Const(lowerer.init_of),), kwargs), lowerer.loc(fdef))]


def _made_fresh(body, name) -> bool:
    """Whether the __init__ local `name` (an attribute's value) is bound only to fresh containers
    (`fresh_container`) and otherwise only written into by element (`self.m[k] = v`): the object
    is then the one holder of the container."""
    from .. import ir
    bound = False
    for st in ir.walk(body):
        if isinstance(st, ir.Assign) and name in st.targets:
            if not (len(st.targets) == 1 and isinstance(st.value, ir.Call) and st.value.op == "fresh_container"):
                return False
            bound = True
        elif name in ir.stmt_writes(st) and not (isinstance(st, ir.SetItem) and st.target == name):
            return False  # (a loop variable, or bound another way)
        reads = list(ir.stmt_reads(st))
        if isinstance(st, ir.SetItem) and st.target == name:
            reads.remove(name)
        if name in reads:
            return False
    return bound


def generated_init(cls) -> bool:
    """Whether a dataclass's __init__ is the one dataclass generated (a class body's own __init__
    is kept by @dataclass, and runs instead: it is inlined like any class's)."""
    code = getattr(getattr(cls, "__init__", None), "__code__", None)
    return code is not None and code.co_filename == "<string>"


def _dataclass(lowerer, cls, e, label):
    """A dataclass's generated __init__ (no source to read): its fields bound as Python binds them,
    defaults that are numbers, strings, None or module-level functions taken as constants."""
    from ..errors import UnsupportedSyntaxError
    from ..ir import Call, Const
    from ..passes.trees import function_attribute
    fields = dataclasses.fields(cls)
    if any(not f.init for f in fields):
        raise lowerer.error(UnsupportedSyntaxError, f"constructing '{label}': a dataclass with init=False fields "
                            "(construct it outside the function and pass it as an argument)", e)
    args, kwargs = with_functions(lowerer, e, label)
    try:
        bound = inspect.signature(cls).bind(*args, **dict(kwargs))
    except TypeError as err:
        raise lowerer.error(UnsupportedSyntaxError, f"constructing '{label}': {err}", e) from None
    values = []
    for f in fields:
        if f.name in bound.arguments:  # (a dict literal passed: made for the object, fresh)
            values.append((f.name, fresh(lowerer, bound.arguments[f.name])))
        elif isinstance(f.default, (int, float, bool, str, type(None))) and f.default is not dataclasses.MISSING \
                or function_attribute(f.default):  # (act: Callable = np.tanh: the function, held)
            values.append((f.name, Const(f.default)))
        else:
            raise lowerer.error(UnsupportedSyntaxError, f"constructing '{label}': the field '{f.name}' needs a value "
                                "(pass it; only defaults that are numbers, strings or None are inlined)", e)
    return Call("obj_new", (Const(cls),), tuple(values))


def init_super(lowerer, s):
    """`super().__init__(...)` in an inlined __init__: the parent's __init__ inlined for the same
    object, its attributes assigned here as its own assignments would be (a later `self.W = ...` of
    this __init__ replaces one, as in Python); nothing to run when the parent's is object's ([]).
    None when s is no such call."""
    from .. import ir
    from ..errors import UnsupportedSyntaxError
    if not (isinstance(s, cst.Expr) and isinstance(s.value, cst.Call) and isinstance(s.value.func, cst.Attribute)
            and s.value.func.attr.value == "__init__" and isinstance(s.value.func.value, cst.Call)
            and isinstance(s.value.func.value.func, cst.Name) and s.value.func.value.func.value == "super"):
        return None
    mro = lowerer.init_of.__mro__
    here = next((i for i, c in enumerate(mro) if c.__dict__.get("__init__") is lowerer.fn), None)
    parent = next((c for c in mro[here + 1:] if "__init__" in c.__dict__), object) if here is not None else None
    if parent is object and not s.value.args:
        return []  # object.__init__: nothing to run
    init = parent.__dict__.get("__init__") if parent is not None else None
    if not isinstance(init, types.FunctionType) or not user_class(parent):
        raise lowerer.error(UnsupportedSyntaxError, f"super().__init__(...) of '{getattr(parent, '__name__', '?')}', "
                            "whose __init__ s2sgrad does not inline (a plain function of a class of yours)", s)
    for c in mro[here + 1:mro.index(parent) + 1]:  # (each class searched: an __init__ given to one later recompiles)
        lowerer.guards[("super", id(mro[here]), id(c), "__init__")] = (c, "__init__", vars(c).get("__init__", _missing()))
    made = lowerer.inline(init, s.value, f"{parent.__name__}.__init__", pre_args=(ir.Const(None),),
                          init_of=lowerer.init_of)
    loc = lowerer.loc(s)
    out = []
    for attr, value in made.kwargs:  # (obj_new(cls, W=..., ...) of the parent's finish_init)
        out.append(ir.Assign((init_attribute(lowerer, cst.Attribute(cst.Name(lowerer.first_param), cst.Name(attr))),),
                             value, loc))
    return lowerer.flush(out)
