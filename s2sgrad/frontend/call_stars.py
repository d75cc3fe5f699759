"""A call of a helper of the user's with `*seq` or `**d`, where the helper has no *args/**kwargs to
take them (`conv3x3(x, **params["enc1"])`, `sylvester(z, *make_layer(raw))`), written with each
argument given by itself:

    conv3x3(x, W=d["W"], b=d["b"], stride=d.get("stride", 1))
    sylvester(z, t[0], t[1], t[2], t[3])          (t = make_layer(raw), unpack_count(t, 4))

`d["W"]` for a parameter without a default, `d.get(name, default)` for one with a default (a
number, string, boolean or None), so the container pass reads each from the dict it knows; and
`spread_keys(d, names)` checks when compiling that d has no key the helper does not take (Python's
TypeError).  A `*seq` fills the positional parameters left after the arguments before it; its
length must be exactly their number (checked: unpack_count), so they must have no defaults.

Guarantee: the arguments the helper receives are the ones Python would bind; a form whose binding
depends on what is known only at run time (a `*seq` that may stop before parameters with
defaults, a default that is not such a constant, a helper with *args/**kwargs of its own -- spread.py
handles those) is left alone, and call_args refuses it at its line.  seq and d are evaluated once
(a name, an attribute or a subscript of constants is read where it stands)."""
from __future__ import annotations

import inspect

import libcst as cst

from ..ir import Assign, Call, Const, ExprStmt
from .names import LITERAL_TYPES, literal_node


def expanded(lowerer, callee, e: cst.Call, given=0) -> cst.Call:
    """e with its `*seq` / `**d` arguments written out for callee (given: positional arguments
    passed before e's own, a method's self); e itself where that cannot be done exactly."""
    if any(a.star == "*" and isinstance(a.value, (cst.Tuple, cst.List)) and not any(
            isinstance(el, cst.StarredElement) for el in a.value.elements) for a in e.args):
        # f(*(x, y)): the elements, in place
        e = lowerer.remade(e.with_changes(args=[b for a in e.args for b in (
            [cst.Arg(el.value) for el in a.value.elements] if a.star == "*" and isinstance(a.value, (
                cst.Tuple, cst.List)) else [a])]), e)
    stars = [a for a in e.args if a.star]
    if not stars:
        return e
    try:
        params = list(inspect.signature(callee, follow_wrapped=False).parameters.values())
    except (TypeError, ValueError):
        return e
    if any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in params):
        return e  # (spread.py specialises the helper's own *args/**kwargs)
    if sum(1 for a in stars if a.star == "*") > 1 or sum(1 for a in stars if a.star == "**") > 1:
        return e
    seq = next((a for a in e.args if a.star == "*"), None)
    if seq is not None and any(a.keyword is None and not a.star for a in e.args[e.args.index(seq) + 1:]):
        return e  # f(*s, x): positions after the sequence's
    positional = [a for a in e.args if a.keyword is None and not a.star]
    keywords = {a.keyword.value for a in e.args if a.keyword is not None}
    takes = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    loc = lowerer.loc(e)
    out = list(positional)
    filled = given + len(positional)
    if seq is not None:
        rest = [p for p in takes[filled:] if p.name not in keywords]
        if any(p.default is not p.empty for p in rest) or takes[filled:] != rest:
            return e
        node = _once(lowerer, seq.value, "spread", loc)
        lowerer.prelude.append(ExprStmt(Call("unpack_count", (lowerer.expr(node), Const(len(rest)))), loc))
        out += [cst.Arg(_item(node, cst.Integer(str(i)))) for i in range(len(rest))]
        filled += len(rest)
    out += [a for a in e.args if a.keyword is not None]
    mapping = next((a for a in e.args if a.star == "**"), None)
    if mapping is not None:
        left = [p for p in params[filled:] if p.name not in keywords and p.kind is not p.POSITIONAL_ONLY]
        if any(p.default is not p.empty and not isinstance(p.default, LITERAL_TYPES) for p in left):
            return e
        node = _once(lowerer, mapping.value, "spread_kw", loc)
        names = tuple(p.name for p in left)
        lowerer.prelude.append(ExprStmt(Call("spread_keys", (lowerer.expr(node), Const(names))), loc))
        for p in left:
            key = cst.SimpleString(repr(p.name))
            value = _item(node, key) if p.default is p.empty else cst.Call(
                cst.Attribute(node, cst.Name("get")), [cst.Arg(key), cst.Arg(literal_node(p.default))])
            out.append(cst.Arg(value, keyword=cst.Name(p.name)))
    return lowerer.remade(e.with_changes(args=out), e)


def into_kwargs(lowerer, callee, e: cst.Call, given=0) -> cst.Call:
    """e with its one `**d` evaluated once, for a helper with a **kwargs of its own, which then holds
    d's keys besides the call's other keywords (spread.py: the key "**"); and the check, when
    compiling, that d names none of the helper's other parameters nor a keyword the call also gives
    (Python binds the first and raises TypeError for the second: s2sgrad refuses both)."""
    mappings = [a for a in e.args if a.star == "**"]
    try:
        params = list(inspect.signature(callee, follow_wrapped=False).parameters.values())
    except (TypeError, ValueError):
        return e
    if len(mappings) != 1 or not any(p.kind is p.VAR_KEYWORD for p in params):
        return e
    loc = lowerer.loc(e)
    node = _once(lowerer, mappings[0].value, "spread_kw", loc)
    named = tuple(p.name for p in params[given:] if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY))
    keywords = tuple(a.keyword.value for a in e.args if a.keyword is not None)
    lowerer.prelude.append(ExprStmt(Call("spread_keys", (lowerer.expr(node), Const(None)), (
        ("apart", Const(keywords)), ("named", Const(named)), ("callee", Const(getattr(callee, "__name__", "f"))))),
        loc))
    return lowerer.remade(e.with_changes(args=[a.with_changes(value=node) if a is mappings[0] else a
                                               for a in e.args]), e)


def _item(node, index):
    return cst.Subscript(node, [cst.SubscriptElement(cst.Index(index))])


def _once(lowerer, node, base, loc):
    """node itself when reading it again gives the same value, else a fresh name bound to it now."""
    if _pure(node):
        return node
    tmp = lowerer.fresh(base)
    lowerer.prelude.append(Assign((tmp,), lowerer.expr(node), loc))
    return cst.Name(tmp)


def _pure(node) -> bool:
    if isinstance(node, cst.Name):
        return True
    if isinstance(node, cst.Attribute):
        return _pure(node.value)
    if isinstance(node, cst.Subscript):
        return _pure(node.value) and all(isinstance(s.slice, cst.Index) and isinstance(
            s.slice.value, (cst.SimpleString, cst.Integer, cst.Name)) for s in node.slice)
    return False


def in_order(lowerer, e: cst.Call) -> cst.Call:
    """e with each argument written before the last one whose lowering writes statements right away
    (a `*t` or `**d` computed, a partial's bound values, a factory's body) bound to a name of its
    own first, in the order written: Python evaluates `f(g(y), *h(y))` left to right, so g(y) --
    which may write into y -- runs before h(y) reads it."""
    from .factories import makes_function
    from .partials import is_partial
    early = [i for i, a in enumerate(e.args) if a.star and not _pure(a.value) or is_partial(lowerer, a.value)
             or isinstance(a.value, cst.Call) and makes_function(lowerer, a.value)]
    if not early:
        return e
    loc, args = lowerer.loc(e), list(e.args)
    for i in range(early[-1]):
        a = args[i]
        if a.star or _pure(a.value) or isinstance(a.value, (cst.Integer, cst.Float, cst.SimpleString, cst.Lambda)) \
                or i in early:
            continue
        tmp = lowerer.fresh("arg")
        lowerer.prelude.append(Assign((tmp,), lowerer.expr(a.value), loc))
        args[i] = a.with_changes(value=cst.Name(tmp))
    return lowerer.remade(e.with_changes(args=args), e)
