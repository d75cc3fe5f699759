"""Containers carried through a loop that runs at run time: `p = {k: v - lr * g[k] for k, v in
p.items()}`, `state = (x + dt * v, v - dt * x)`, `b = predict(b, u)` of a dataclass, inside
`for step in range(n_steps)` or a `while`.

The container pass knows a container's structure when compiling and binds each of its leaves to a
variable; a loop whose body is compiled once cannot bind a name to a new container in each pass.
When the container keeps its structure (the same kind, keys, class, and nesting in every pass),
its leaves are the loop's variables: bound before the loop (`p_w = w`), assigned where the body
binds the name again (`p_w = p_w_2`), and read through the same tree everywhere, so every loop,
branch, break and record of the transforms applies to them as to any variable.

Guarantee: a name is carried only after the plain pass refused the loop (a pass reads the container
the pass before bound), so nothing that compiled before changes; inside the loop every binding of
a carried name must be a container of the same structure, and a write `d[k] = v` must be at a key
it has, else it is refused at that line; a leaf that is a constant (a string, a shape) must stay
that constant (a number is a variable like an array).  The assignments are parallel (`s = (s[1], s[0])` swaps through temporaries).
"""
from __future__ import annotations

import re

from ..errors import UnsupportedSyntaxError
from ..ir import Assign, Call, Const, ListExpr, Name, expr_names
from .ctree import CTree
from .normalize import _fresh


class CarryLoop(Exception):
    """Raised by the plain pass over `loop`: these names need carrying (flatten_stmts retries)."""

    def __init__(self, loop, names):
        super().__init__(names)
        self.loop, self.names = loop, names


class ListAtRunTime(Exception):
    """Raised where a loop binds a list it carries to a list built at run time (`hs = [np.sin(h)
    for h in hs]` of an `hs = [x, 2 * x]` made before it): FlattenStatements.carrying runs the loop
    again with that list made at run time before it (`made_at_run_time`), so every pass binds the
    name to a list of the same kind (ad/list_scopes.py: a list bound again)."""

    def __init__(self, name):
        super().__init__(name)
        self.name = name


def convertible(tree) -> bool:
    """Whether a carried list can be made at run time instead: a list of arrays and numbers."""
    return isinstance(tree, CTree) and tree.kind == "list" and all(
        not isinstance(x, CTree) and not (isinstance(x, Const) and not isinstance(x.value, (int, float)))
        for x in tree.items)


def made_at_run_time(name, tree, loc):
    """`name = []` and one append per item of the list known when compiling."""
    out = [Assign((name,), ListExpr(()), loc)]
    return out + [Assign((name,), Call("list_append", (Name(name), x)), loc) for x in tree.items]


def _leaf_base(name, path):
    parts = [name] + [re.sub(r"\W", "_", str(k)) for k in path]
    base = "_".join(p for p in parts if p)
    return base if base.isidentifier() else f"{name}_leaf"


def carried_tree(flat, name, tree, loc):
    """(the tree with a variable for every leaf but constants that are not numbers, the statements
    binding them before the loop)."""
    stmts = []

    def walk(t, path):
        if isinstance(t, CTree):
            return CTree(t.kind, list(t.keys), [walk(x, path + (k,)) for k, x in zip(t.keys, t.items)],
                         None, t.cls, t.hidden)
        if isinstance(t, Const) and not isinstance(t.value, (int, float, complex)):
            return t  # (a string, None, a shape: stays the constant it is; a number is a variable)
        var = _fresh(_leaf_base(name, path), flat.taken)
        flat.taken.add(var)
        stmts.append(Assign((var,), t, loc))
        return Name(var)
    return walk(tree, ()), stmts


def _pairs(carried, new, name, loc, path=()):
    """(variable, new leaf expression) for every leaf of the carried tree."""
    if isinstance(carried, CTree):
        if not (isinstance(new, CTree) and new.kind == carried.kind and list(new.keys) == list(carried.keys)
                and new.cls is carried.cls):
            raise UnsupportedSyntaxError(
                f"'{name}' is carried through this loop as a {carried.kind} of "
                f"{_described(carried)}, and bound here to {_described_value(new)}: inside a loop that runs at "
                "run time a container must keep its structure (the same keys, lengths and classes) in every "
                "pass", loc)
        out = []
        for k, a, b in zip(carried.keys, carried.items, new.items):
            out += _pairs(a, b, name, loc, path + (k,))
        return out
    if isinstance(carried, Const):
        if isinstance(new, CTree) or new != carried:
            raise UnsupportedSyntaxError(
                f"'{name}' is carried through this loop, and its entry {'/'.join(map(str, path))!s} is the "
                f"constant {carried.value!r} before it but changes here: keep it the same in every pass, or "
                "hold it in a variable of its own", loc)
        return []
    if isinstance(new, CTree):
        raise UnsupportedSyntaxError(f"'{name}' is carried through this loop, and its entry "
                                     f"{'/'.join(map(str, path))} becomes a container here (keep its structure)", loc)
    return [] if new == carried else [(carried.id, new)]


def _described(t):
    return f"{len(t.keys)} entries" if t.kind != "object" else f"class {getattr(t.cls, '__name__', '?')}"


def _described_value(v):
    if isinstance(v, CTree):
        return f"a {v.kind} of {_described(v)}" + (f" (keys {', '.join(map(repr, v.keys))})" if v.kind == "dict"
                                                    else "")
    return "a value that is not a container"


def assign(flat, name, carried, new, loc):
    """The statements that bind `name = new` inside the loop carrying it: its variables assigned the
    new leaves, all read before any is written."""
    pairs = _pairs(carried, new, name, loc)
    written = {v for v, _ in pairs}
    out, late = [], []
    for var, e in pairs:
        if written & (set(expr_names(e)) - {var}):  # reads another variable written here: through a temporary
            tmp = _fresh(f"{var}_next", flat.taken)
            flat.taken.add(tmp)
            out.append(Assign((tmp,), e, loc))
            late.append(Assign((var,), Name(tmp), loc))
        else:
            late.append(Assign((var,), e, loc))
    return out + late


def write(flat, name, carried, key, value, loc):
    """`d[k] = v` of a dict carried through the loop (`obj.t = v` of an object): its variable for k
    assigned."""
    if carried.kind not in ("dict", "list", "object") or key not in (
            carried.keys if carried.kind in ("dict", "object") else range(-len(carried.items), len(carried.items))):
        if carried.kind == "object":
            raise UnsupportedSyntaxError(f"'{name}.{key} = ...', an attribute the object does not have before this loop, "
                                         "inside a loop that runs at run time (the object must keep its attributes "
                                         "in every pass: set it before the loop)", loc)
        raise UnsupportedSyntaxError(f"a write into '{name}' at {key!r}, which it does not have, inside a loop that "
                                     "runs at run time (the container must keep its keys in every pass: add the "
                                     "key before the loop)", loc)
    i = carried.keys.index(key) if carried.kind in ("dict", "object") else key
    new = CTree(carried.kind, list(carried.keys), list(carried.items), None, carried.cls, carried.hidden)
    new.items[i] = value
    return assign(flat, name, carried, new, loc)


def _leaf_names(t, out):
    if isinstance(t, CTree):
        for x in t.items:
            _leaf_names(x, out)
    elif isinstance(t, Name):
        out.add(t.id)
    return out


def detached(flat, tree, loc):
    """(tree, statements): a container bound to another name (`old = dict(d)`, `prev = d`, a tuple
    holding d) inside a loop carrying d holds d's values as they are now: each of d's variables it
    holds read into a name of its own, as the later `d['a'] = ...` or `d = {...}` assigns them."""
    carried = set()
    for t in flat.carried.values():
        _leaf_names(t, carried)
    if not carried or not (_leaf_names(tree, set()) & carried):
        return tree, []
    stmts = []

    def walk(t):
        if isinstance(t, CTree):
            return CTree(t.kind, list(t.keys), [walk(x) for x in t.items], None, t.cls, t.hidden)
        if isinstance(t, Name) and t.id in carried:
            held = _fresh(f"{t.id}_now", flat.taken)
            stmts.append(Assign((held,), t, loc))
            return Name(held)
        return t
    return walk(tree), stmts
