"""Reads of a container known when compiling (a CTree): `p['W']`, `p.get('b')`, `len(layers)`,
`d.items()`, `hs.copy()`, `sorted(d)`, `reversed(layers)`, a loop's item, an object's attribute or
property.  Guarantee: each read is evaluated to the element it names (or a new CTree of the same
elements) when compiling; a read the container cannot answer is refused at the user's line, and any
other operation is left to the container pass (None)."""
from __future__ import annotations

from ..errors import UnsupportedSyntaxError
from ..ir import Const
from . import container_values, objects
from .ctree import CTree
from .iterate_marks import backwards_item
from .trees import function_attribute
from ..markers import FUNCTION_PASSED


def read(flat, base: CTree, e, loc):
    """The value of the call e reading the container base, or None when e is no such read."""
    if e.op == "getattr" and base.kind == "tuple" and e.args[1].value in getattr(base.cls, "_fields", ()):
        return base.child(base.cls._fields.index(e.args[1].value), loc)  # p.w of a named tuple
    if e.op == "getattr" and base.kind == "object":
        prop = None if e.args[1].value in base.keys else objects.attribute(flat, base, e.args[1].value, loc)
        value = prop if prop is not None else base.child(e.args[1].value, loc)
        if isinstance(value, Const) and function_attribute(value.value):  # obj.act of a function it holds:
            return Const(FUNCTION_PASSED)  # never None, called through obj.act(...); any other use refused
        return value
    if e.op == "getitem" and e.kw("iterate") is not None:  # a loop's item (reversed: from the end)
        k = flat.static(e.args[1], loc, "an index into a container")
        k = len(base.items) - 1 - k if backwards_item(e) else k
        return Const(base.keys[k]) if base.kind == "dict" else flat.child(base, k, loc)  # (for k in d: keys)
    if e.op == "getitem" and base.kind == "object":  # (obj['a'] is not obj.a: Python runs __getitem__)
        raise UnsupportedSyntaxError(f"indexing an object of '{getattr(base.cls, '__name__', 'object')}' "
                                     "(obj[k]) runs its class's __getitem__, which s2sgrad does not inline: "
                                     "read the attribute (obj.a), or call a method", loc)
    if e.op == "getitem":
        return flat.child(base, flat.static(e.args[1], loc, "an index into a container"), loc)
    if e.op == ".get":
        key = flat.static(e.args[1], loc, "a key")
        if key in base.keys:
            return base.child(key, loc)
        return flat.ev(e.args[2], loc) if len(e.args) > 2 else Const(None)
    if e.op == "len":
        return Const(len(base.items))
    if e.op in (".items", ".keys", ".values"):
        keys = base.keys if base.kind == "dict" else list(range(len(base.items)))
        if e.op == ".keys":
            items = [Const(k) for k in keys]
        elif e.op == ".values":
            items = list(base.items)
        else:
            items = [CTree("tuple", [0, 1], [Const(k), v]) for k, v in zip(keys, base.items)]
        return CTree("list", list(range(len(items))), items)
    if e.op in ("dict", ".copy") and base.kind in ("dict", "list") and not (e.op == "dict" and base.kind == "list"):
        # dict(d), d.copy(), hs.copy(): a new container holding the same elements (a shallow copy)
        if len(e.args) > 1 or e.kwargs:
            raise UnsupportedSyntaxError(f"'{e.op.lstrip('.')}()' with more than the container", loc)
        return CTree(base.kind, list(base.keys), list(base.items))
    if e.op == "sorted":
        return container_values.sorted_items(base, e, loc)
    if e.op == "reversed" or e.op == "list" or e.op == "tuple":
        items = [Const(k) for k in base.keys] if base.kind == "dict" else list(base.items)  # a dict: keys
        items = items[::-1] if e.op == "reversed" else items
        return CTree("list" if e.op != "tuple" else "tuple", list(range(len(items))), items)
    return None
