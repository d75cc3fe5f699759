"""`sorted(seq, key=f, reverse=r)` of a container known when compiling whose keys are known only
when the function runs (frontend/folds.sorted_by_key computes the keys, `keys = [f(item) for item
in seq]`, and leaves `sorted_by(sorted_peaks, sorted_peaks_keys, reverse=r)` here):

    sorted_peaks_order = sort_order(sorted_peaks_keys, reverse=r)
    if sorted_peaks_order[0] == 0:
        sorted_peaks_0_centre = peaks_0_centre
        sorted_peaks_0_w = peaks_0_w
    elif sorted_peaks_order[0] == 1:
        ...

and the sorted list is a list known when compiling whose item i holds `sorted_peaks_i_centre`, the
very value of the item the order puts there (no stacking: a Python float stays one, a float32
array float32, shapes may differ).  The permutation is Python's own sort of the same key values
(runtime.sort_order: ties keep their order, NaN keys land where Python puts them, a `reverse` Python
refuses refused the same way); it is piecewise constant in the keys, so only the items carry a
derivative, through the branches.

Guarantee: the sorted list holds the values Python's sorted() would put at each position.  Items
must have one structure (the same keys, attributes and lengths), a part that is not a value of the
run (a name, a function, an object's class) must be the same in every item, since which item lands
where is known only when running, and there are at most 16 items (each position is written out);
anything else is refused at the line.
"""
from __future__ import annotations

from ..errors import UnsupportedSyntaxError
from ..ir import Assign, Call, Const, Expr, If, ListExpr, Name, Tuple
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
    if len(items) > _MAX:
        raise UnsupportedSyntaxError(f"sorted(key=) of {len(items)} items (s2sgrad writes out where each item may "
                                     f"land, up to {_MAX}): keep the values in an array and sort it with np.argsort",
                                     loc)
    stem = e.args[0].id if isinstance(e.args[0], Name) else "sorted"
    order = _fresh(f"{stem}_order", flat.taken)
    rev = e.kw("reverse")
    kwargs = () if rev is None or rev == Const(False) else (("reverse", flat.runtime(rev, loc)),)
    flat.pre.append(Assign((order,), Call("sort_order", (flat.runtime(e.args[1], loc),), kwargs), loc))
    leaves = [_leaves(x) for x in items]
    shape = _structure(items[0])
    if any(_structure(x) != shape for x in items):
        raise UnsupportedSyntaxError(_SHAPES, loc)
    picked = []  # (path, [expression per position])
    for path in leaves[0]:
        parts = [lv[path] for lv in leaves]
        if all(_known(x) for x in parts):
            if not all(_same(x, parts[0]) for x in parts):
                raise UnsupportedSyntaxError(_KNOWN_PARTS, loc)
            picked.append((path, [parts[0]] * len(items)))
        elif any(_known(x) for x in parts) or not all(isinstance(x, Expr) for x in parts):
            raise UnsupportedSyntaxError(_KNOWN_PARTS, loc)
        else:
            picked.append((path, [Name(_fresh("_".join([stem, str(i)] + [_word(k) for k in path]), flat.taken))
                                  for i in range(len(items))]))
    for i in range(len(items)):  # position i holds the item the order puts there: Python's own values
        chain = ()
        for k in reversed(range(len(items))):
            body = tuple(Assign((names[i].id,), leaves[k][path], loc) for path, names in picked
                         if isinstance(names[i], Name) and not _known(leaves[k][path]))
            chain = body if k == len(items) - 1 else \
                (If(Call("eq", (Call("getitem", (Name(order), Const(i))), Const(k))), body, chain, loc),)
        flat.pre.extend(chain)
    return CTree("list", list(range(len(items))), [_rebuilt(items[0], {path: names[i] for path, names in picked})
                                                   for i in range(len(items))])


_MAX = 16
_SHAPES = ("sorted(key=) of items of different structures (other keys, attributes or lengths): s2sgrad "
           "moves each part of the items by the order known when running, so every item must have the same parts")
_KNOWN_PARTS = ("sorted(key=) of items that differ in a part known when compiling (a name, a key, a function): "
                "which item lands where is known only when the function runs, so that part would not be known; "
                "keep such parts out of the items, or sort by a key known when compiling")


def _structure(x):
    """The item's structure: its containers' kinds, keys and classes (leaves left out)."""
    if isinstance(x, CTree):
        return (x.kind, tuple(x.keys), x.cls, x.hidden, tuple(_structure(c) for c in x.items))
    return None


def _leaves(x, path=()):
    """path -> leaf of the item x, in order."""
    if isinstance(x, CTree):
        out = {}
        for k, c in zip(x.keys, x.items):
            out.update(_leaves(c, path + (k,)))
        return out
    return {path: x}


def _rebuilt(x, values, path=()):
    """The item x with each leaf replaced by values[its path]."""
    if isinstance(x, CTree):
        return CTree(x.kind, list(x.keys), [_rebuilt(c, values, path + (k,)) for k, c in zip(x.keys, x.items)],
                     cls=x.cls, hidden=x.hidden)
    return values[path]


def _known(x) -> bool:
    return isinstance(x, Const) or not isinstance(x, Expr)


def _same(x, y) -> bool:
    if isinstance(x, Const) and isinstance(y, Const):
        return type(x.value) is type(y.value) and (x.value is y.value or x.value == y.value)
    return x is y or x == y


def _word(key) -> str:
    text = str(key)
    return text if text.isidentifier() else "".join(c if c.isalnum() else "_" for c in text) or "item"

