"""Lists of objects built by appends: `layers = [Dense(W, b) for W, b in params]`, or `layers = []`
then `layers.append(Dense(W, b))` in a loop over a container argument.

An object is known when compiling only (its methods are resolved on its class there), so a list
of them cannot be a list of the generated code.  A list bound to `[]` whose appends are objects is
held as a compile-time list instead (a CTree): each append is the list with the object after its
items.  An append inside a loop that runs at run time asks for that loop to be unrolled (its trip
count must be known when compiling: a loop over a container, or a range of constants), as an
index into a container does (ctree._Unroll).

Guarantee: the list holds the objects in Python's order, the list made when the `[]` was bound;
a list that also gets other values at run time (before the objects, or after: the list is then
known when compiling, whose appends are refused), or a loop that cannot be unrolled, is refused.
"""
from __future__ import annotations

from ..errors import UnsupportedSyntaxError
from .. import ir
from ..ir import Name
from .ctree import CTree, _Unroll


def append(flat, e, loc):
    """The value of `list_append(name, item)` where item is an object: the list known when compiling
    with it at the end (a CTree); None where e is any other append (left as it was)."""
    if not (e.args and isinstance(e.args[0], Name)):
        return None
    name = e.args[0].id
    held = flat.env.get(name)
    item = flat.ev(e.args[1], loc) if len(e.args) == 2 else None
    if not (isinstance(item, CTree) and item.kind == "object"):
        if name in flat.built and not isinstance(held, CTree):
            flat.appended_at_run_time.add(name)
        return None
    if isinstance(held, CTree):
        if name not in flat.object_lists:
            return None  # (a literal or an argument: refused by the container pass's own rule)
    elif name not in flat.built or name in flat.appended_at_run_time or held is not None:
        return None  # (objects after values appended when the code runs: refused as an object appended)
    if flat.loops:  # (in a loop that runs at run time: it is unrolled, this append then one per pass)
        loop = flat.loops[-1]
        if not isinstance(loop, ir.For):
            raise UnsupportedSyntaxError(f"an object of '{item.cls.__name__}' appended to '{name}' in a while loop: "
                                         "s2sgrad holds a list of objects when compiling, so the objects must be "
                                         "appended in a loop over a container or a range known when compiling",
                                         loc)
        unroll = _Unroll(ir.target_names(loop.target)[0], loc, f"the number of objects appended to '{name}'")
        unroll.refused = (f"an object of '{item.cls.__name__}' appended to a list ('{name}') in a loop over a "
                          "sequence whose length is known only when running: s2sgrad holds a list of objects when "
                          "compiling, so the objects must be appended in a loop over a container or a range known "
                          "when compiling")  # (said where the loop cannot be unrolled: flatten_stmts.loop)
        raise unroll
    items = list(held.items) if isinstance(held, CTree) else []
    flat.object_lists.add(name)
    return CTree("list", list(range(len(items) + 1)), items + [item])
