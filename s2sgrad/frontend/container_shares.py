"""What containers hold (the container half of the alias fence, frontend/aliasing.py): a tuple,
list, dict or object the function makes holds the arrays of the names it was made from, a join or
shallow copy of one holds the same, an element read out of one is one of them, and `hs.append(h)`
makes hs hold h's array.

Guarantee: `ContainerSharing.bind_container` records, for each such binding, a `Share` on every
name whose array the new container holds (or that an element read out of it may be), so that a
write through either side is seen by the fence; it answers False, recording nothing, for a binding
that is not about a container."""
from __future__ import annotations

from .. import ir
from ..ir import Call, Const, ListExpr, Name, Tuple
from .shares import Share as _Share, held_by as _held_by, link as _link, view_base


def stored(e):
    """What a write stores: `self.m = {...}` marks its fresh container (`fresh_container`), and
    `self.m[k] = v` is `self.m = with_item(self.m, k, v)`, storing v (frontend/methods.py)."""
    while isinstance(e, Call) and e.op in ("fresh_container", "with_item"):
        e = e.args[0] if e.op == "fresh_container" else e.args[2]
    return e


def held_names(literal):
    """The names whose arrays a tuple, list or dict literal holds (or views of), nested ones too."""
    elts = literal.values if isinstance(literal, ir.DictExpr) else literal.elts
    for e in map(stored, elts):
        if isinstance(e, (Tuple, ListExpr, ir.DictExpr)):
            yield from held_names(e)
        elif isinstance(e, Name):
            yield e.id
        elif view_base(e) is not None:
            yield view_base(e)


# a new container holding the same elements (a shallow copy), or an iterator over them
SHALLOW = frozenset({"list", "tuple", "dict", "sorted", "reversed", ".copy", ".values", ".items", ".keys", "iter",
                     "enumerate", "zip"})


def element_root(v):
    """The name whose element (or attribute, or method's result) `v` reads: `d` of d['a'],
    d.get('a'), obj.m, obj.n['a'], obj.get_m(), list(h)[0] (a copy's elements are h's); None for
    anything else."""
    if not (isinstance(v, Call) and v.op in ("getitem", ".get", "getattr", "obj_method") and v.args):
        return None
    base = v.args[0]
    while v.op != "obj_method" and isinstance(base, Call) and base.op in SHALLOW and base.args:
        base = base.args[0]
    if isinstance(base, Name):
        return base.id
    return element_root(base) if v.op != "obj_method" else None


class ContainerSharing:
    """The container bindings of `_Sharing` (which holds `literals`: name -> "tuple", "list",
    "dict" or "object", a container the function made)."""

    def _hold_appended(self, s, state):
        """hs.append(h): the list holds h's array, so a later write into h changes hs[-1] too (and
        an update of an element read out of hs changes h)."""
        t, v = s.target, s.value.args[1]
        # (a tuple or list appended holds its elements' arrays: pts.append((v, x0)))
        srcs = list(held_names(v)) if isinstance(v, (Tuple, ListExpr, ir.DictExpr)) else \
            [v.id if isinstance(v, Name) else view_base(v)]
        if isinstance(v, Call) and v.op == "getitem" and isinstance(v.args[0], Name) \
                and self.literals.get(v.args[0].id) in ("list", "dict"):
            srcs = []  # ([hs[k] for k in kids]: hs's element, held by both; a write hs[n] = v replaces
            #            an entry of hs, never the element the list holds)
            # (t holds one of the arrays hs holds, named or not: shares.unobserved follows both)
            _link(state, v.args[0].id, t, "list")
            state[t] = state.get(t, frozenset()) | {_Share(f"'{v.args[0].id}'", "link", holder=v.args[0].id)}
        for src in srcs:
            if src is not None:
                state[src] = state.get(src, frozenset()) | {_held_by(f"the list '{t}' it was appended to", t)}

    def bind_container(self, s, state) -> bool:
        """Records what the binding s makes a container hold (see the module docstring); False
        where s binds no container."""
        t = s.target
        if isinstance(s.value, Call) and s.value.op == "list_append":
            self._hold_appended(s, state)
            return True
        if isinstance(s.value, (Tuple, ListExpr, ir.DictExpr)):
            # pair = (y, x): the tuple holds y's array, so a later write into y changes pair[0] too
            what = {Tuple: "tuple", ListExpr: "list"}.get(type(s.value), "dict")
            self.literals[t] = what
            for src in held_names(s.value):
                state[src] = state.get(src, frozenset()) | {_held_by(f"the {what} '{t}' holding it", t)}
            state[t] = frozenset()
            return True
        v = s.value
        if isinstance(v, Call) and v.op in ("add", "mul", "or_") and any(
                isinstance(a, (Tuple, ListExpr, ir.DictExpr)) or isinstance(a, Name) and a.id in self.literals
                and self.literals[a.id] != "object" for a in v.args):
            # l = [h] * 3, c = a + [h], grid = [row] * 2, f = d | e: a container joined when compiling
            # (passes/containers.py) holds the literals' elements as the literals do
            lits = [a for a in v.args if isinstance(a, (Tuple, ListExpr, ir.DictExpr))]
            kinds = {self.literals[a.id] for a in v.args if isinstance(a, Name) and self.literals.get(a.id, "object")
                     != "object"}
            what = {Tuple: "tuple", ListExpr: "list"}.get(type(lits[0]), "dict") if lits else sorted(kinds)[0]
            self.literals[t] = what
            for lit in lits:
                for src in held_names(lit):
                    state[src] = state.get(src, frozenset()) | {_held_by(f"the {what} '{t}' holding it", t)}
            for a in v.args:
                if isinstance(a, Name) and a.id in self.literals:
                    _link(state, a.id, t, what)
            state[t] = frozenset()
            return True
        if isinstance(v, Call) and v.op in ("obj_new", "obj_replace", "named_new"):
            # Holder(d, W): the object made holds each value its __init__ assigned, as a literal does
            held = held_names(Tuple(tuple(x for _, x in v.kwargs) + tuple(v.args[1:])))
            for src in held:
                state[src] = state.get(src, frozenset()) | {_held_by(f"the object '{t}' holding it", t)}
            self.literals[t] = "object"  # (m = obj.m is then one of its elements: the rule below)
            state[t] = frozenset()
            return True
        if isinstance(v, Call) and v.op in SHALLOW - {".values", ".keys", ".items", "reversed", "iter"} and v.args \
                and element_root(Call("getitem", (v, Const(0)))) in self.literals:
            # e = list(h), pair = tuple(d.values()): a new container holding h's elements, so an
            # element read from it is one of h's (a write into that element changes h's too)
            self.literals[t] = self.literals[element_root(Call("getitem", (v, Const(0))))]
            _link(state, element_root(Call("getitem", (v, Const(0)))), t, self.literals[t])
            state[t] = frozenset()
            return True
        if isinstance(v, Call) and v.op in SHALLOW - {".copy", "dict"} and v.args and isinstance(v.args[0], Name) \
                and v.args[0].id not in self.literals and v.args[0].id != t:
            # rows = list(y), tuple(y), enumerate(y) of an array: views of its rows; kept only for
            # shares.unobserved (a write into the new list replaces an entry, no array of y's).  (y.copy()
            # of an array is a new array; of a container argument, the check after flattening sees it)
            src = v.args[0].id
            state[t] = frozenset({_Share(f"'{src}'", "link", holder=src)})
            state[src] = state.get(src, frozenset()) | {_Share(f"'{t}'", "link", holder=t)}
            return True
        if isinstance(v, Call) and v.op in (".values", ".keys", ".items", "reversed", "iter") and v.args \
                and isinstance(v.args[0], Name) and v.args[0].id in self.literals:
            # vals = d.values(), it = reversed(l): a live view of the container (a loop over
            # d.items() too): a write into it shows through
            src = v.args[0].id
            view = f"the view {ir.expr_src(v)} (to write while reading it, read list({ir.expr_src(v)}) instead)"
            state[t] = frozenset({_Share(f"'{src}'", "alias", holder=src)})
            state[src] = state.get(src, frozenset()) | {_Share(view, "alias", holder=t)}
            return True
        if isinstance(v, Call) and v.op == "obj_method" and len(v.args) >= 3 and not v.kwargs \
                and v.args[1] in (Const("append"), Const("insert"), Const("extend")):
            # d['a'].append(y), obj.hist.append(y): the container reached holds y's array (a later
            # update of y changes the element; passes/dict_scalars.py makes d['a'] a list of its own)
            receiver, item = v.args[0], v.args[-1]
            root = receiver.id if isinstance(receiver, Name) else element_root(receiver)
            if root is not None:
                srcs = list(held_names(item)) if isinstance(item, (Tuple, ListExpr, ir.DictExpr)) else \
                    [item.id if isinstance(item, Name) else view_base(item)]
                if v.args[1] == Const("extend") and isinstance(item, Name):
                    _link(state, item.id, root, "container")  # (extend(L): the arrays L holds)
                for src in srcs:
                    if src is not None and src != root:
                        state[src] = state.get(src, frozenset()) | {
                            _held_by(f"the container '{root}' it was added to", root)}
            state[t] = frozenset()
            return True
        root = element_root(v)
        if root is not None and root in self.literals and root != t:
            # h = cache['h'] of a container the function made: h is the element's object (an update
            # in place of h changes the element), not a view of the container (a write of another
            # value by key leaves h as it was); so is m = obj.m of an object it made, inner =
            # obj.n['a'], and what a method of that object returns (obj.get_m() may be obj.m)
            what = f"what '{root}.{v.args[1].value}()' returned" if v.op == "obj_method" else f"an element of '{root}'"
            state[t] = frozenset({_Share(what, "alias", holder=root)})
            return True
        return False
