"""Containers only their object reaches: where `self.m[k] = v` may write into what `self.m` holds.

Python changes the dict (or list) `self.m` in place, and every name or container holding that dict
sees the change.  s2sgrad instead makes a new container and binds it to the attribute
(`with_item`, container_writes.with_item): the two agree exactly when nothing but the attribute
holds the container.  So an attribute *name* is **shared** -- and a write through it refused --
when anywhere in the code being flattened (the function, every method and property inlined):

- an object is made or replaced (`obj_new`, `dataclasses.replace`) holding a container under it
  that is not a fresh one (a literal, a comprehension, `dict(...)`, `list(...)`, `.copy()`: the
  frontend wraps those in `fresh_container`, frontend/methods.py), or an attribute write binds it to
  such a container (`self.m = d`: d holds it too);
- `X.name` is used as a value rather than read through: anything but an element read
  (`self.m[k]`, `.get`), `len`, a copy (`list`, `dict`, `sorted`, `.copy`, `np.stack`, ...),
  `print`, `in`, or the sequence of a loop (`for k in self.m`, `.items()`, a comprehension) whose
  body neither writes through the attribute nor calls a method (which might).

The names are compared without their object (conservative: `a.m` used as a value shares the name
`m` for every class).  Guarantee: `through` accepts a write into the container under `name` only
when `name` is never shared in the code flattened, before or after it (a sharing met after a write
is refused where it is met), so no accepted program can tell the new container from Python's
changed one.  The elements of such a container are never changed in place: `self.m[k] += v` and a
write into a name bound to `self.m[k]` are refused by the frontend (methods.nested_write_message,
aliasing.py).
"""
from __future__ import annotations

from .. import ir
from ..errors import UnsupportedSyntaxError
from ..ir import Assign, Call, Const, For, Name, SetItem

# ops that read their first argument's container without keeping it (a new value, or an element)
_READ = frozenset({"getitem", ".get", "len", "list", "tuple", "dict", "sorted", ".copy", "list_sum", "np.stack",
                   "np.concatenate", "np.array", "np.hstack", "np.vstack", "print", "in_", "not_in", "min", "max",
                   "with_item"})
# ops whose result is a live view of (or an iterator over) their argument's container
_VIEWS = frozenset({".items", ".keys", ".values", "reversed", "enumerate", "zip", "iter"})


def _attr_of(e):
    """The attribute name `e` reads (`getattr(X, 'm')`), else None."""
    if isinstance(e, Call) and e.op == "getattr" and len(e.args) == 2 and isinstance(e.args[1], Const) \
            and isinstance(e.args[1].value, str):
        return e.args[1].value
    return None


def _viewed(e):
    """The attribute names whose containers `e` is, or is a view of (`self.m.items()`)."""
    a = _attr_of(e)
    if a is not None:
        return {a}
    if isinstance(e, Call) and e.op in _VIEWS:
        return set().union(*(_viewed(x) for x in e.args)) if e.args else set()
    return set()


def _parts(e):
    """The subexpressions an expression holds directly."""
    if isinstance(e, Call):
        return list(e.args) + [v for _, v in e.kwargs]
    if isinstance(e, (ir.Tuple, ir.ListExpr)):
        return list(e.elts)
    if isinstance(e, ir.DictExpr):
        return list(e.keys) + list(e.values)
    if isinstance(e, ir.Slice):
        return [x for x in (e.lower, e.upper, e.step) if x is not None]
    return []


def _read_through(e, i) -> bool:
    """Whether e's i-th part is read without e keeping its container."""
    return isinstance(e, Call) and e.op in _READ and (i == 0 or e.op in ("in_", "not_in", "print"))


def _escapes_in(e, out, loc):
    """Attribute containers that e's subexpressions use as values (into out: name -> where)."""
    for i, a in enumerate(_parts(e)):
        held = _viewed(a)
        if held and not _read_through(e, i):
            for n in held:
                out.setdefault(n, (loc, USED))
        _inside(a, out, loc) if held else _escapes_in(a, out, loc)


def _inside(view, out, loc):
    """The parts of `self.m` or of a view of it (`self.m.items()`, `zip(self.m, ys)`): the object
    expression, and the other arguments of the view, judged as values."""
    if _attr_of(view) is not None:
        _escapes_in(view, out, loc)  # (the object: self.m's `self`)
        return
    for a in _parts(view):
        _inside(a, out, loc) if _viewed(a) else _escapes_in(a, out, loc)


USED = "used as a value: bound to a name, stored, passed or returned"
_LOOP = ("a loop over it (or a comprehension) that sets an attribute or calls a method, where Python's loop "
         "would see a write into it (loop over list(...) of it instead)")


def _loop_over(block, i):
    """Why block[i], `seq = self.m` (or a view of it), makes a second holder: None when it only
    gives the next statement, a loop over range(len(seq)), its items, in a body that neither sets an
    attribute nor calls a method -- Python's live view and s2sgrad's snapshot then agree."""
    s = block[i]
    if not (isinstance(s, Assign) and len(s.targets) == 1 and i + 1 < len(block) and isinstance(block[i + 1], For)):
        return USED
    seq, loop = s.target, block[i + 1]
    if seq not in ir.expr_names(loop.iter) or any(seq in ir.stmt_reads(x) or seq in ir.stmt_writes(x)
                                                  for x in ir.walk(list(block[i + 2:]))):
        return USED
    for st in ir.walk(list(loop.body)):
        if seq in ir.stmt_writes(st):
            return USED
        if isinstance(st, SetItem) and st.attr:
            return _LOOP
        for e in ir.exprs_of(st):
            if any(c.op == "obj_method" for c in ir.expr_calls(e)):
                return _LOOP
            if seq in ir.expr_names(e) and not _only_items(e, seq):
                return USED
    return None


def _only_items(e, seq):
    """Whether every read of `seq` in e is an element read seq[i]."""
    if isinstance(e, Name):
        return e.id != seq
    if isinstance(e, Call):
        if e.op == "getitem" and e.args and e.args[0] == Name(seq):
            return all(_only_items(x, seq) for x in e.args[1:])
        return all(_only_items(x, seq) for x in list(e.args) + [v for _, v in e.kwargs])
    return all(_only_items(x, seq) for x in _parts(e))


def escapes(body) -> dict:
    """name -> (where, why), for every attribute whose container `body` (nested blocks too) uses as a
    value."""
    out = {}
    _block(list(body), out)
    return out


def returned(result, loc) -> dict:
    """name -> (where, why), for the attribute containers an inlined method's result is or holds."""
    out = {}
    if result is not None:
        for n in _viewed(result):
            out.setdefault(n, (loc, "returned by a method"))
        _inside(result, out, loc) if _viewed(result) else _escapes_in(result, out, loc)
    return out


def made_for_it(expr, value) -> bool:
    """Whether `value` (what `expr` evaluated to) is a container made right there for the one place
    it is stored: marked fresh by the frontend, and holding no container known when compiling
    itself (`{"a": d}` is fresh, but d's other holders would see a write into d)."""
    return isinstance(expr, Call) and expr.op == "fresh_container" and not _holds_container(value)


def _holds_container(value) -> bool:
    from .ctree import CTree
    items = value.items if isinstance(value, CTree) else value.elts if isinstance(value, (ir.ListExpr, ir.Tuple)) \
        else value.values if isinstance(value, ir.DictExpr) else ()
    return any(is_container(x) or isinstance(x, ir.Tuple) and _holds_container(x) for x in items)


def is_container(value) -> bool:
    """Whether a value the flattener evaluated is a container another name could hold (a dict or
    list known when compiling, a list literal of run-time values), not an object."""
    from .ctree import CTree
    return isinstance(value, CTree) and value.kind != "object" or isinstance(value, (ir.ListExpr, ir.DictExpr))


def _block(block, out):
    for i, s in enumerate(block):
        for e in ir.exprs_of(s):
            held = _viewed(e)
            why = _loop_over(block, i) if held else None
            for n in held if why else ():  # (bound to a name, stored, returned: a second holder)
                out.setdefault(n, (s.loc, why))
            _inside(e, out, s.loc) if held else _escapes_in(e, out, s.loc)
        for inner in _blocks_of(s):
            _block(list(inner), out)


def _blocks_of(s):
    if isinstance(s, ir.If):
        return [s.body, s.orelse]
    if isinstance(s, (For, ir.While)):
        return [s.body]
    return []


def _where(loc) -> str:
    return f"line {loc.line}: {loc.text.strip().rstrip(':')}" if loc is not None and loc.text else "elsewhere"


def share(flat, name, loc, why):
    """Record that the attribute name's container may have another holder (refused here when a
    write through it was accepted before)."""
    if name in flat.shared_attrs:
        return
    flat.shared_attrs[name] = (loc, why)
    wrote = flat.written_through.get(name)
    if wrote is not None:
        raise UnsupportedSyntaxError(_message(name, wrote, loc, why), loc)


def share_all(flat, found: dict):
    """`share` each of escapes()'s or returned()'s findings."""
    for name, (loc, why) in found.items():
        share(flat, name, loc, why)


def through(flat, name, loc):
    """Accept a write into the container under attribute `name` (refused where it is shared)."""
    shared = flat.shared_attrs.get(name)
    if shared is not None:
        raise UnsupportedSyntaxError(_message(name, loc, shared[0], shared[1]), loc)
    flat.written_through.setdefault(name, loc)


def _message(name, wrote, at, why) -> str:
    return (f"a write into an element of the container '.{name}' of an object ({_where(wrote)}), which another name "
            f"or container may hold too ({_where(at)}: {why}): Python would change it behind every holder, which "
            f"s2sgrad does not follow. Write into '.{name}' only where the object is the one holder: set it to a new "
            f"container made for it (self.{name} = {{...}}, dict(...), a comprehension), and read it only by element "
            f"(self.{name}[k]), len(), list(...) or a loop over it that writes nothing; or keep the container in a "
            "variable of the function")
