"""Container arguments as signatures: the Tree of a dict, list, tuple or object argument (its
structure and the abstract value of every leaf), which is part of the call's signature key.

Guarantee: two arguments with equal Trees are flattened to the same program (same keys, same
lengths, same leaf shapes and dtypes, same classes of objects), so compiled code applies to both.
`leaf_name` names a leaf's variable in generated code: never a keyword, a builtin or one of the
generated code's own names (a dict key 'np' or 'True').
"""
from __future__ import annotations

import builtins
import enum
import keyword

from dataclasses import dataclass
import types

import numpy as np

from ..runtime import NAMESPACE
from .abstract import Arr, Known, PyNum, abstract_of
from .normalize import _fresh


# ------------------------------------------------------------------------------ signatures
@dataclass(frozen=True)
class Tree:
    """The abstract value of a container argument: its kind, keys and children's abstract values."""
    kind: str       # "dict" | "list" | "tuple" | "object" (attributes)
    keys: tuple     # dict keys in insertion order; 0..n-1 for sequences
    children: tuple
    cls: object = None  # an object's class: its methods are resolved on it (passes/objects.py)
    # an object's instance attributes that are not leaves (a function set on the instance, o.f =
    # lambda ...): they shadow the class's methods and numbers, so a name here is refused when
    # called or read, and adding one changes the signature key
    hidden: tuple = ()


def tree_of(v):
    """A Tree for a container holding arrays or other containers (None: not a container).  An
    object (a model instance, a dataclass) is a container of its attributes."""
    if _is_object(v):
        attrs = {k: x for k, x in vars(v).items() if _attribute_kept(x)}
        hidden = tuple(k for k in vars(v) if k not in attrs)
        # (a function held as an attribute, Dense(act=np.tanh): known when compiling, called where a
        # method calls self.act(...) -- passes/objects.py -- and keyed by identity: boundary.tree_key)
        children = tuple(Known(x) if function_attribute(x) else _abstract(x) for x in attrs.values())
        return Tree("object", tuple(attrs), children, type(v), hidden)
    if isinstance(v, dict):
        return Tree("dict", tuple(v), tuple(_abstract(x) for x in v.values()))
    if isinstance(v, (list, tuple)) and any(isinstance(x, (np.ndarray, dict, list, tuple)) or _is_object(x)
                                            for x in v) or isinstance(v, tuple) and hasattr(type(v), "_fields"):
        # (a named tuple even of numbers: its fields are read by name, t.B)
        named = type(v) if isinstance(v, tuple) and hasattr(type(v), "_fields") else None  # (a named tuple)
        # (a named tuple's ints and bools are compiled in, as a tuple of them is: axes, counts, flags;
        # boundary.tree_key keys them by value)
        return Tree("list" if isinstance(v, list) else "tuple", tuple(range(len(v))),
                    tuple(Known(x) if named and type(x) in (int, bool) else _abstract(x) for x in v), named)
    return None


def seed_tree(v):
    """The Tree of a structured seed (a tuple/list/dict of arrays or numbers)."""
    if isinstance(v, dict):
        return Tree("dict", tuple(v), tuple(seed_tree(x) for x in v.values()))
    if isinstance(v, (list, tuple)):
        return Tree("list" if isinstance(v, list) else "tuple", tuple(range(len(v))), tuple(seed_tree(x) for x in v))
    return abstract_of(v)


def _is_object(v):
    """An instance of a user class (a layer with __call__ too), not a function, class or array."""
    return (hasattr(v, "__dict__") and not isinstance(v, (type, np.ndarray, np.generic, enum.Enum) + _CALLABLES)
            and type(v).__module__ not in ("builtins", "numpy", "functools")
            and not type(v).__module__.startswith("s2sgrad."))


_CALLABLES = (types.FunctionType, types.MethodType, types.BuiltinFunctionType, types.BuiltinMethodType)


def _attribute_kept(x):
    """Attributes read as leaves: arrays, numbers, strings/None, containers and nested objects; and
    functions (function_attribute), which are no leaves but compile-time constants of the object."""
    return isinstance(x, (np.ndarray, np.generic, int, float, bool, str, type(None), dict, list, tuple, enum.Enum)) \
        or _is_object(x) or function_attribute(x)


def function_attribute(x) -> bool:
    """A function an object may hold and s2sgrad calls as Python would (frontend/function_values:
    a user's def or lambda, a numpy function or ufunc, a builtin): not a bound method, a class, a
    functools.partial or an object with a __call__, which stay hidden (refused where used)."""
    if (getattr(x, "__module__", None) or "").startswith("s2sgrad"):  # (stop_gradient: a marker, not a function)
        return False
    if isinstance(x, types.BuiltinFunctionType):  # (math.exp, abs; not [].append, a bound builtin method)
        return isinstance(getattr(x, "__self__", None), (types.ModuleType, type(None)))
    return isinstance(x, (types.FunctionType, np.ufunc)) or type(x).__name__ == "_ArrayFunctionDispatcher"


def _abstract(v):
    if isinstance(v, tuple) and hasattr(type(v), "_fields"):
        return tree_of(v)  # (a named tuple: its class kept, its fields read by name)
    if isinstance(v, (list, tuple)) and v and not isinstance(v, str):
        # inside a container a tuple of floats is a container of leaves (each one differentiated),
        # not a constant baked into the code as a top-level tuple argument is
        return Tree("list" if isinstance(v, list) else "tuple", tuple(range(len(v))), tuple(_abstract(x) for x in v))
    t = tree_of(v)
    return t if t is not None else abstract_of(v)


def is_floating_value(a) -> bool:
    """A floating number or array (numpy scalars too), or a container with one among its leaves: what
    gets a derivative by default (jvp's tangents, hessian's argument, check_grads' directions)."""
    if isinstance(a, (dict, list, tuple)) and tree_of(a) is not None or _is_object(a):
        items = a.values() if isinstance(a, dict) else vars(a).values() if _is_object(a) else a
        return any(is_floating_value(x) for x in items)
    if isinstance(a, bool):
        return False
    if isinstance(a, float):
        return True
    dt = getattr(a, "dtype", None)
    return dt is not None and np.dtype(dt).kind == "f"


def is_floating(a) -> bool:
    if isinstance(a, PyNum):
        return a.type is float
    if isinstance(a, Arr):
        return a.dtype is not None and np.dtype(a.dtype).kind in "fc"
    return False


def _reserved(name) -> bool:
    """A Python keyword, a builtin, or a name of the generated code's namespace."""
    return keyword.iskeyword(name) or keyword.issoftkeyword(name) or name in NAMESPACE or hasattr(builtins, name)


def leaf_name(root, path, taken):
    """`params["W1"]` -> W1, `params["layers"][0][1]` -> layers_0_1, `layers[2]` -> layers_2."""
    parts = [str(k) for k in path]
    if not (isinstance(path[0], str) and path[0].isidentifier()):
        parts = [root] + parts
    base = "_".join(parts)
    if not base.isidentifier():
        base = "_".join([root] + [str(i) for i in range(len(path))])
    if _reserved(base):  # params['np'], params['True']: a name of the generated code's, or Python's
        base = f"{root}_{base}"
    return _fresh(base, taken)
