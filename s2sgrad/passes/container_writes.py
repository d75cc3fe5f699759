"""Writes into containers the function made, for the container pass (flatten_stmts.py):
`cache = {}; cache['h1'] = h1`, `d['W'] = d['W'] - lr * g`, `parts[0] = x` of a list literal, and
the merge of such a container after an `if` whose branches wrote different values into it.

Guarantees:
- a write makes a new compile-time container bound to the same name (the one before it is never
  changed: the copy of the names taken before a branch or a loop keeps its own), the value held in
  a name of its own; Python changes the one object in place, which is the same thing because no
  other name or container can hold it: the alias fence (frontend/aliasing.py) refuses a write
  into a name that shares its object (`e = d`, `outer = {'d': d}`, a helper's parameter);
- a write into an argument's container, a tuple, an object, a list built at run time, at an index
  out of range or at a key or index not known when compiling, is refused at the user's line; so is
  a write inside a loop that is not unrolled into a container bound before that loop (the loop's
  body is flattened once for every pass);
- after an `if`, a container both branches left with the same keys (a key written on one side or
  both) is one container whose differing elements are names bound at the end of each branch; any
  other difference stays a Conflict (refused where read).
"""
from __future__ import annotations

from .. import ir
from ..errors import UnsupportedSyntaxError
from ..ir import Assign, Name
from . import loop_carry, private_attrs
from .ctree import CTree
from .normalize import _fresh


def write(flat, s):
    """The container pass's reading of `s.target[s.index] = s.value` where target is a container."""
    tree = flat.env[s.target]
    what = tree.kind
    if s.attr:
        return _attribute(flat, s)
    if tree.path is not None or what not in ("dict", "list"):
        held = "an argument's " + tree.kind if tree.path is not None else "a " + tree.kind
        raise UnsupportedSyntaxError(f"assignment into the container '{s.target}' ({held}, which a differentiated "
                                     "function cannot change): build a new one, or keep the value in a "
                                     "variable", s.loc)
    key = flat.static(s.index, s.loc, "a key or index written into a container")
    if s.inplace:  # d['W'] -= lr * g: numpy changes the array d holds, which other names may hold too
        raise UnsupportedSyntaxError(f"an update in place of an element of a {what} (d[k] += v) changes the array the "
                                     f"{what} holds (numpy semantics), which other names may hold too, and s2sgrad "
                                     "cannot follow that: write d[k] = d[k] + v (a new array)", s.loc)
    if s.target in flat.carried:  # d[k] = v in a loop carrying d: its variable for k
        return loop_carry.write(flat, s.target, flat.carried[s.target], key, flat.ev(s.value, s.loc), s.loc)
    _refuse_in_rolled_loop(flat, s, tree)
    flat.env[s.target] = _with_key(flat, tree, key, flat.ev(s.value, s.loc), s.target, s.loc)
    return []


def _with_key(flat, tree, key, value, base, loc):
    """A new container: tree's entries with value at key (a list's index in range; a dict's new key
    added last), the value held in a name of its own (`base_key`)."""
    from .object_values import _held
    keys, items = list(tree.keys), list(tree.items)
    if tree.kind == "list":
        if not isinstance(key, int) or isinstance(key, bool) or not -len(items) <= key < len(items):
            raise UnsupportedSyntaxError(f"index {key!r} out of range for a list of length {len(items)}", loc)
        key = key % len(items)
    part = f"{base}_{key}" if f"{base}_{key}".isidentifier() else f"{base}_{len(items)}"
    item = _held(flat, part, value, loc)
    if key in keys:
        items[keys.index(key)] = item
    else:
        keys.append(key)
        items.append(item)
    return CTree(tree.kind, keys, items)


def with_item(flat, e, loc):
    """`with_item(obj.m, k, v)`, the value frontend/methods.element_write gives `obj.m[k] = v`: the
    container obj.m holds, with v at k.  Python's order: v, then obj.m, then k.  Only a dict or list
    the function made (an argument's is the caller's to keep); that the object is its one holder is
    _attribute's check (private_attrs.through)."""
    value = flat.ev(e.args[2], loc)
    tree = flat.ev(e.args[0], loc)
    attr = e.args[0].args[1].value
    obj = e.args[0].args[0]
    owner = f"{'self' if isinstance(obj, Name) and obj.id.startswith('self_obj') else ir.expr_src(obj)}.{attr}"
    if isinstance(tree, ir.ListExpr):  # [w, 2 * w, 0.0]: a list literal of run-time values
        tree = CTree("list", list(range(len(tree.elts))), list(tree.elts))
    if not isinstance(tree, CTree) or tree.kind not in ("dict", "list"):
        what = f"a {tree.kind}" if isinstance(tree, CTree) else "an array, a value or a list built at run time"
        raise UnsupportedSyntaxError(f"assignment into an element of '{owner}', which holds {what}: Python would change "
                                     "it in place, behind every name holding it, and s2sgrad writes by element only "
                                     f"into a dict or list the object holds; set the attribute to a new value "
                                     f"(v = {owner}.copy(); v[i] = ...; {owner} = v)", loc)
    if tree.path is not None:
        raise UnsupportedSyntaxError(f"assignment into an element of '{owner}', the {tree.kind} of an argument (or a "
                                     f"global), which the differentiated function cannot change: set '{owner}' to a "
                                     f"new {tree.kind} (dict({owner}) or list({owner})) first", loc)
    if private_attrs.is_container(value) and not private_attrs.made_for_it(e.args[2], value):
        raise UnsupportedSyntaxError(f"a container stored into an element of '{owner}' that another name or container "
                                     "may hold too (Python's dict would hold that very container, and see every later "
                                     "write into it, which s2sgrad does not follow): store a container made for it "
                                     "(dict(d), {...} or a comprehension, holding numbers and arrays)", loc)
    key = flat.static(e.args[1], loc, "a key or index written into a container")
    return _with_key(flat, tree, key, value, attr, loc)


def _writes_through(s) -> bool:
    """Whether the attribute write s is `obj.m = with_item(obj.m, k, v)` (obj.m[k] = v)."""
    v = s.value
    return isinstance(v, ir.Call) and v.op == "with_item" and v.args[0] == ir.Call(
        "getattr", (Name(s.target), s.index))


def _refuse_in_rolled_loop(flat, s, tree):
    """A write into a container bound before the loop that runs at run time around it: the loop is
    flattened again carrying the container (loop_carry.py), or refused outside the carrying."""
    if flat.rolled and flat.rolled[-1].get(s.target) is tree and flat.loops:  # (its keys: the loop's variables)
        raise loop_carry.CarryLoop(flat.loops[-1], [s.target])
    if flat.rolled and flat.rolled[-1].get(s.target) is tree:
        what = tree.kind
        raise UnsupportedSyntaxError(f"a write into the {what} '{s.target}' inside a loop that runs at run time (the "
                                     f"{what} is known when compiling, and this loop's body is compiled once for "
                                     f"all its passes): collect the values in a list (hs.append(h)), or make the "
                                     f"{what} inside the loop", s.loc)


def _attribute(flat, s):
    """`obj.t = v` (`obj.t op= v`: s.inplace) of an object the function made: a new object with the
    attribute's new value, bound to the same name -- what Python changes in place, where no second
    name or container can hold the object (objects.changeable: the variable is confined, the object
    holds only numbers and arrays).  An update in place of an attribute holding an array would change
    that array behind every name holding it: refused per signature (a number is rebound, as Python
    does).  The value is evaluated first, as Python does (`c.t = c.step(w)` sees what step changed)."""
    from .object_values import _held
    from .objects import changeable, settable
    attr = s.index.value
    value = flat.ev(s.value, s.loc)
    tree = flat.env.get(s.target)
    cls_name = getattr(getattr(tree, "cls", None), "__name__", "object")
    if not isinstance(tree, CTree) or tree.kind != "object":
        kind = tree.kind if isinstance(tree, CTree) else "value"
        raise UnsupportedSyntaxError(f"assignment to the attribute '.{attr}' of a {kind} (only objects the "
                                     "function made have attributes s2sgrad sets)", s.loc)
    if tree.path is not None:
        raise UnsupportedSyntaxError(f"assignment to the attribute '.{attr}' of a '{cls_name}' object that is an "
                                     "argument of the differentiated function (or read from a global), which it "
                                     "cannot change: keep the value in a variable, or construct the object inside "
                                     "the function", s.loc)
    settable(flat, tree.cls, attr, s.loc)
    shown = "self" if s.target.startswith("self_obj") else s.target  # (a method's self: objects._inline)
    through = _writes_through(s)
    if private_attrs.is_container(value) and through:  # self.m[k] = v: the container changed
        private_attrs.through(flat, attr, s.loc)
    changeable(flat, s.target, tree, f"'{shown}.{attr}{'[...]' if through else ''} = ...'", s.loc)
    if isinstance(value, CTree) and value.kind == "object":
        raise UnsupportedSyntaxError(f"'{shown}.{attr} = ...' of an object: an object that changes holds numbers, "
                                     "arrays and containers made for it only (an object in it could be held by another "
                                     "name, which would see the change in Python and not here); keep the object in a "
                                     "variable of its own", s.loc)
    if private_attrs.is_container(value) and not through and not private_attrs.made_for_it(s.value, value):
        raise UnsupportedSyntaxError(f"'{shown}.{attr} = ...' of a container that another name or container may hold "
                                     "too (Python's object would hold that very container, and see every later "
                                     "write into it, which s2sgrad does not follow): set it to a container made for "
                                     f"it ({shown}.{attr} = dict(d), {{...}} or a comprehension, holding numbers and "
                                     "arrays), or keep the container in a variable of the function", s.loc)
    old = tree.items[tree.keys.index(attr)] if attr in tree.keys else None
    if s.inplace and (private_attrs.is_container(old) or isinstance(old, Name) and old.id in flat.held_lists):
        raise UnsupportedSyntaxError(f"'{shown}.{attr} op= ...' of an attribute holding a list or dict: Python changes "
                                     "it in place, behind every name holding it, which s2sgrad does not follow; "
                                     f"write {shown}.{attr} = {shown}.{attr} + ... (a new one)", s.loc)
    if s.inplace and isinstance(old, Name):  # (a number: rebound; an array: changed in place)
        from ..frontend.aliasing import Deferred
        flat.deferred.append(Deferred(old.id, s.loc, (
            f"'.{attr} op= ...' updates the array the attribute '{attr}' holds in place (numpy semantics; or "
            "may hold one, where s2sgrad cannot tell its type here), and other names or objects may hold that "
            f"array too, which s2sgrad cannot follow; write 'obj.{attr} = obj.{attr} op ...' for a new value")))
    if s.target in flat.carried:  # obj.t = t + 1 in a loop carrying obj: its variable for t
        return loop_carry.write(flat, s.target, flat.carried[s.target], attr, value, s.loc)
    _refuse_in_rolled_loop(flat, s, tree)
    keys, items = list(tree.keys), list(tree.items)
    item = _held(flat, f"{cls_name.lower()}_{attr}", value, s.loc)
    if attr in keys:
        items[keys.index(attr)] = item
    else:
        keys.append(attr)
        items.append(item)
    flat.env[s.target] = CTree("object", keys, items, None, tree.cls, tree.hidden)
    return []


def merge(flat, name, a, b, body, orelse, loc):
    """One container for the values two branches left in `name` (a after the body, b after
    orelse), the elements that differ bound to names of their own at the end of each branch
    (added to body and orelse, before a branch's final return/break/continue); None when they
    cannot be merged."""
    if a is b:
        return a
    if isinstance(a, CTree) and isinstance(b, CTree) and a.kind == b.kind == "object" and a.cls is b.cls \
            and a.keys != b.keys:
        a, b = _common_attributes(a, b)
        if a is None:
            return None
    if not (isinstance(a, CTree) and isinstance(b, CTree) and a.path is None and b.path is None
            and a.kind == b.kind and a.kind in ("dict", "list", "tuple", "object") and a.keys == b.keys
            and a.cls is b.cls):
        return None
    items = []
    for k, x, y in zip(a.keys, a.items, b.items):
        if x is y or not isinstance(x, CTree) and not isinstance(y, CTree) and x == y:
            items.append(x)
            continue
        if isinstance(x, CTree) or isinstance(y, CTree):
            m = merge(flat, f"{name}_{k}", x, y, body, orelse, loc)
            if m is None:
                return None
            items.append(m)
            continue
        part = _fresh(f"{name}_{k}" if f"{name}_{k}".isidentifier() else f"{name}_{len(items)}", flat.taken)
        _bind_at_end(body, Assign((part,), x, loc))
        _bind_at_end(orelse, Assign((part,), y, loc))
        items.append(Name(part))
    return CTree(a.kind, list(a.keys), items, None, a.cls, a.hidden)


def _common_attributes(a, b):
    """An object one branch gave an attribute the other did not (`if c: opt.extra = 2.0`): after the
    `if` it has the attributes both paths gave it, so reading the other one is refused when compiling
    (Python raises AttributeError on one path) -- unless its class has an attribute of that name,
    which the path without it would read: (None, None) then, the two are not merged."""
    one_sided = set(a.keys) ^ set(b.keys)
    if any(hasattr(a.cls, k) for k in one_sided):
        return None, None
    keys = [k for k in a.keys if k in b.keys]
    pick = lambda t: [t.items[t.keys.index(k)] for k in keys]  # noqa: E731
    return (CTree("object", keys, pick(a), a.path, a.cls, a.hidden),
            CTree("object", keys, pick(b), b.path, b.cls, b.hidden))


def _bind_at_end(block, assign):
    """assign at the end of a branch's statements, before a final return/break/continue (after one
    it would never run; the branch's value is then never read after the `if` anyway)."""
    if block and isinstance(block[-1], (ir.Return, ir.Break, ir.Continue)):
        block.insert(len(block) - 1, assign)
    else:
        block.append(assign)
