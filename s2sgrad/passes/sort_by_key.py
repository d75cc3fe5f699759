"""`sorted(seq, key=f, reverse=r)` of a container known when compiling whose keys are known only
when the function runs (frontend/folds.sorted_by_key computes the keys, `keys = [f(item) for item
in seq]`, and leaves `sorted_by(sorted_peaks, sorted_peaks_keys, reverse=r)` here):

    sorted_peaks_order = sort_order(sorted_peaks_keys, reverse=r)
    sorted_peaks_centre = np.stack([peaks_0_centre, peaks_1_centre, peaks_2_centre])[sorted_peaks_order]

and the sorted list is a list known when compiling whose item i reads `sorted_peaks_centre[i]` where the
items held peaks_k_centre.  The permutation is Python's own sort of the same key values
(runtime.sort_order: ties keep their order, NaN keys land where Python puts them); it is piecewise
constant in the keys, so only the items carry a derivative, through the stack and the gather.

Guarantee: the sorted list holds the values Python's sorted() would put at each position.  Items
must have one structure (the same keys and attributes, leaves of one shape where the signature
knows it, never ints beside floats: stacking would make the ints floats), and a part that is not a
value of the run (a name, a function, an object's class) must be the same in every item, since
which item lands where is known only when running; anything else is refused at the line.
"""
from __future__ import annotations

import numpy as np

from ..errors import UnsupportedSyntaxError
from ..ir import Assign, Call, Const, Expr, ListExpr, Name, Tuple
from .abstract import Arr, PyNum
from .ctree import CTree
from .normalize import _fresh


def sorted_by(flat, e, loc):
    """The list sorted(seq, key=...) gives (see the module docstring), its statements in flat.pre."""
    base = flat.ev(e.args[0], loc)
    if isinstance(base, (ListExpr, Tuple)):  # sorted([a, b, c], key=f) of values: a literal's items
        base = CTree("list", list(range(len(base.elts))), list(base.elts))
    if not isinstance(base, CTree) or base.kind == "object":
        raise UnsupportedSyntaxError("sorted(key=) of something s2sgrad does not hold as a container when "
                                     "compiling (a list built when the function runs, an array): sort an array "
                                     "with np.argsort and index it, or sort a list, tuple or dict argument", loc)
    items = [Const(k) for k in base.keys] if base.kind == "dict" else list(base.items)
    if not items:
        return CTree("list", [], [])
    stem = e.args[0].id if isinstance(e.args[0], Name) else "sorted"
    order = _fresh(f"{stem}_order", flat.taken)
    rev = flat.runtime(e.kw("reverse", Const(False)), loc)
    kwargs = () if isinstance(rev, Const) and rev.value is False else (("reverse", rev),)
    flat.pre.append(Assign((order,), Call("sort_order", (flat.runtime(e.args[1], loc),), kwargs), loc))
    return CTree("list", list(range(len(items))), _gathered(flat, items, Name(order), stem, loc))


def _gathered(flat, items, order, stem, loc):
    """The items in the run's order: one list of len(items) parts, each part read through `order`."""
    first = items[0]
    if isinstance(first, CTree):
        if not all(isinstance(x, CTree) and x.kind == first.kind and x.keys == first.keys and x.cls is first.cls
                   and x.hidden == first.hidden for x in items):
            raise UnsupportedSyntaxError(_SHAPES, loc)
        parts = [_gathered(flat, [x.items[k] for x in items], order, f"{stem}_{_word(key)}", loc)
                 for k, key in enumerate(first.keys)]
        return [CTree(first.kind, list(first.keys), [p[i] for p in parts], cls=first.cls, hidden=first.hidden)
                for i in range(len(items))]
    if any(isinstance(x, CTree) for x in items):
        raise UnsupportedSyntaxError(_SHAPES, loc)
    if all(_known(x) for x in items):
        if all(_same(x, first) for x in items):
            return list(items)
        raise UnsupportedSyntaxError("sorted(key=) of items that differ in a part known when compiling (a name, "
                                     "a key, a function): which item lands where is known only when the "
                                     "function runs, so that part would not be known; keep such parts out of "
                                     "the items, or sort by a key known when compiling", loc)
    if any(_known(x) for x in items) or not all(isinstance(x, Expr) for x in items):
        raise UnsupportedSyntaxError(_SHAPES, loc)
    _check_stackable(flat, items, loc)
    name = _fresh(stem, flat.taken)
    flat.pre.append(Assign((name,), Call("getitem", (Call("np.stack", (ListExpr(tuple(items)),)), order)), loc))
    return [Call("getitem", (Name(name), Const(i))) for i in range(len(items))]


_SHAPES = ("sorted(key=) of items of different structures (other keys, attributes or lengths): s2sgrad "
           "moves each part of the items by the order known when running, so every item must have the same parts")


def _check_stackable(flat, items, loc):
    """Leaves whose signature says they are of different shapes, or ints beside floats, are refused."""
    abstract = getattr(flat, "abstract", {})  # (leaf name -> its value in this signature: containers.flatten)
    kinds, shapes = set(), set()
    for a in (abstract.get(x.id) if isinstance(x, Name) else None for x in items):
        if isinstance(a, PyNum):
            kinds.add("int" if a.type in (int, bool) else "float" if a.type is float else "other")
            shapes.add(())
        elif isinstance(a, Arr) and a.dtype is not None:
            kinds.add("int" if np.dtype(a.dtype).kind in "iub" else "float")
            if a.shape is not None:
                shapes.add(tuple(a.shape))
    if len(shapes) > 1 or ("int" in kinds and len(kinds) > 1):
        raise UnsupportedSyntaxError("sorted(key=) of items whose parts differ in shape or in kind (ints and "
                                     "floats): s2sgrad stacks each part to move it by the order known when "
                                     "running; give the items parts of one shape and type", loc)


def _known(x) -> bool:
    return isinstance(x, Const) or not isinstance(x, Expr)


def _same(x, y) -> bool:
    if isinstance(x, Const) and isinstance(y, Const):
        return type(x.value) is type(y.value) and (x.value is y.value or x.value == y.value)
    return x is y or x == y


def _word(key) -> str:
    text = str(key)
    return text if text.isidentifier() else "".join(c if c.isalnum() else "_" for c in text) or "item"

