"""Which objects may change: variables confined to an object the function made.

s2sgrad changes an object (`opt.t += 1`, a method setting `self.v`) by binding its variable to the
object with the new value (container_writes._attribute).  That is Python's change in place only if
no other name or container holds the object: Python's other holders would see the change, s2sgrad's
would not.  So a variable may change its object only when it is *confined*: every use of it in the
code being flattened is one of

- bound to an object made there: `opt = Momentum(0.1)`;
- the base of an attribute read: `opt.lr`;
- the receiver of a method call: `opt.step(g)`;
- the target of an attribute write: `opt.t = opt.t + 1`.

Any other use (`o2 = opt`, `[opt]`, `helper(opt)`, `return opt`, `opt` as a method's argument, a
loop variable) could make a second holder.  A method's `self` is confined in the method's code by the
same rule, `self.x` reads, `self.x = ...` writes and `self.m()` calls only.  Together with the object
holding only numbers and arrays (no container or object a second name could reach,
container_writes._attribute), no program s2sgrad accepts can tell the change apart from Python's.

Guarantee: `violations(body)` maps every name with a use of another kind in `body` (nested blocks
included) to where the first one is ('line 12: o2 = opt'); a name absent from it is confined in `body`.
"""
from __future__ import annotations

from .. import ir
from ..ir import Assign, Call, For, Name, SetItem

# (the receiver of these is the object itself, read through: never a second holder; on an object,
# `.get`, `len` and the rest run its class's own methods and attributes: objects.PYTHON_ON_OBJECT)
_THROUGH = ("getattr", "obj_method", ".get", ".items", ".keys", ".values", "len", "@T", "@shape", "@ndim", "@size",
            "@dtype")


def violations(body) -> dict:
    out = {}
    for name, st in _violating(body):
        out.setdefault(name, where(st))
    return out


def _violating(body):
    out = []
    for st in ir.walk(body):
        if isinstance(st, Assign):
            made = len(st.targets) == 1 and isinstance(st.value, Call) and st.value.op == "obj_new"
            for t in st.targets:
                if not made:
                    out.append((t, st))
        elif isinstance(st, SetItem) and not st.attr:
            out.append((st.target, st))
        elif isinstance(st, For):
            for n in ir.target_names(st.target):
                out.append((n, st))
        for e in ir.exprs_of(st):
            for n in _held(e):
                out.append((n, st))
    return out


def _held(e):
    """The names an expression uses other than through an attribute read or a method call on them."""
    if isinstance(e, Name):
        yield e.id
    elif isinstance(e, Call):
        args = e.args[1:] if e.op in _THROUGH and e.args and isinstance(e.args[0], Name) else e.args
        for a in args:
            yield from _held(a)
        for _, v in e.kwargs:
            yield from _held(v)
    elif isinstance(e, (ir.Tuple, ir.ListExpr)):  # ((o.t, o.v): the values, not the object)
        for a in e.elts:
            yield from _held(a)
    elif isinstance(e, ir.DictExpr):
        for a in e.values:
            yield from _held(a)
    elif isinstance(e, ir.Slice):
        for a in (e.lower, e.upper, e.step):
            if a is not None:
                yield from _held(a)
    else:
        for n in ir.expr_names(e):  # (an attribute node: every name in it)
            yield n


def where(st) -> str:
    """`line N: text` of a statement, for a refusal that names the other use."""
    loc = getattr(st, "loc", None)
    if loc is None:
        return "elsewhere"
    return f"line {loc.line}: {loc.text.strip()}" if loc.text else f"line {loc.line}"
