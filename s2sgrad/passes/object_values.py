"""The values an object holds (passes/objects.py): an attribute's value as the object holds it
(`_held`: a name of its own where the value could change under it), and `dataclasses.replace` /
a named tuple's `_replace` of an object known when compiling (its fields, the given ones replaced).

Guarantee: an object made in the function reads the values it was made with, as Python's does
(`layer = Lin(W); W = W + 1; layer(x)` reads the first W); replace() refuses what Python's would
run and s2sgrad would not (an __init__ of its own, __post_init__, init=False fields).
"""
from __future__ import annotations

from .. import ir
from ..errors import UnsupportedSyntaxError
from ..ir import Const, Name


def _replaced(flat, base, changes, loc):
    """`dataclasses.replace(obj, pos=p)`: a new object of obj's dataclass with obj's fields but the
    ones given, as the dataclass's generated __init__ would make it (frontend/methods._dataclass)."""
    import dataclasses
    from .containers import CTree
    cls = base.cls if isinstance(base, CTree) and base.kind == "object" else None
    if cls is None or not dataclasses.is_dataclass(cls):
        raise UnsupportedSyntaxError("dataclasses.replace of something that is not a dataclass object s2sgrad knows "
                                     "when compiling (an argument, or one made in the function)", loc)
    from ..frontend.methods import generated_init
    fields = dataclasses.fields(cls)
    if hasattr(cls, "__post_init__") or any(not f.init for f in fields) or not generated_init(cls):
        raise UnsupportedSyntaxError(f"dataclasses.replace of a '{cls.__name__}': a dataclass with its own "
                                     "__init__, a __post_init__ or init=False fields, which replace runs and "
                                     "s2sgrad does not (construct it explicitly)", loc)
    names = [f.name for f in fields]
    items = _fields_replaced(flat, cls, names, lambda i, k: base.child(k, loc), changes, "dataclasses.replace", loc)
    return CTree("object", names, items, None, cls)


def _replaced_fields(flat, base, changes, loc):
    """`p._replace(w=v)` of a named tuple known when compiling: the same fields but the ones given."""
    from .containers import CTree
    items = _fields_replaced(flat, base.cls, base.cls._fields, lambda i, k: base.items[i], changes, "_replace", loc)
    return CTree("tuple", list(range(len(items))), items, None, base.cls)


def _fields_replaced(flat, cls, names, current, changes, what, loc):
    """The values of fields `names` with the ones `changes` gives (each held as the object holds
    it, `_snapshot`), the others as `current(position, name)` reads them."""
    for k, _ in changes:
        if k not in names:
            raise UnsupportedSyntaxError(f"{what}: '{cls.__name__}' has no field '{k}'", loc)
    given = dict(changes)
    return [_snapshot(flat, cls, k, flat.ev(given[k], loc), loc) if k in given else current(i, k)
            for i, k in enumerate(names)]


def _snapshot(flat, cls, attr, value, loc):
    """An attribute's value as the object holds it: a name that is never bound again is read as it
    is; any other value is copied into a name of its own when the object is made (`layer = Lin(W);
    W = W + 1; layer(x)` reads the W the layer was made with, as Python does)."""
    return _held(flat, f"{cls.__name__.lower()}_{attr}", value, loc)


def _held(flat, base, value, loc):
    """value as a container or an object holds it: itself when it cannot change (a constant, a
    container, a name never bound again), else Name(n) for n a name of its own (base, base_2, ...)
    bound to value first."""
    from .containers import CTree
    from .normalize import _fresh
    from ..ir import Assign
    if isinstance(value, (CTree, Const)) or isinstance(value, Name) and value.id in flat.stable:
        return value
    name = _fresh(base, flat.taken)
    flat.pre.append(Assign((name,), value, loc))
    if isinstance(value, (ir.ListExpr, ir.DictExpr)):  # (a list Python's `+=` would change in place)
        flat.held_lists.add(name)
    return Name(name)
