"""Random draws in Python's order: numpy's global generator and a Generator the function makes
(passes/rng_draws.py) give each draw the next numbers, so the generated code must draw in exactly
the order Python does, and never twice.

The lowering computes some parts of a statement before the rest (a helper's body, a comprehension,
a conditional expression, an index bound to a name), which is Python's order for the parts alone
but not for a draw in the rest.  Guarantees: an index that draws is bound to a name once, after
the value of an assignment into it (Python computes the value first) and before the value of an
augmented one; a `range(...)` that draws is bound before its loop (the reverse sweep reads its
bounds again); a statement that draws both in a part computed first and in the rest is refused at
its line (`check`)."""
from __future__ import annotations

import dataclasses

import libcst as cst

from .. import ir
from ..errors import UnsupportedSyntaxError
from ..rules.nondiff import GENERATOR_METHODS

_DRAW_METHODS = frozenset(GENERATOR_METHODS) | {"normal", "uniform", "exponential"}


def draws(e, lowerer=None) -> bool:
    """Whether expression e may draw random numbers (or seed the generator)."""
    return isinstance(e, ir.Expr) and any(_is_draw(c, lowerer) for c in ir.expr_calls(e))


def index_draws(target: cst.Subscript) -> bool:
    """Whether an index written into may call anything (a draw among them): its value is then
    computed first, as Python does."""
    return any(isinstance(n, cst.Call) for el in target.slice for n in nodes(el.slice))


def nodes(node):
    """node and every CST node inside it."""
    yield node
    for child in node.children:
        yield from nodes(child)


def atomic_index(lowerer, parts, loc):
    """The index parts, each one (or a slice's bound) that draws bound to a name of its own (read
    again by the reverse sweep, it must not draw again)."""
    out = []
    for p in parts:
        if isinstance(p, ir.Slice):
            p = ir.Slice(*(lowerer.atom(x, loc) if draws(x) else x for x in (p.lower, p.upper, p.step)))
        elif draws(p):
            p = lowerer.atom(p, loc)
        out.append(p)
    return out


def ordered(lowerer, stmts, loc):
    """The statements of one user statement with every draw in a statement of its own, in Python's
    order of evaluation (arguments left to right, an inner draw before the one it feeds), so no
    later pass can move it past another, drop it (a dict's .get default, an entry never read) or
    draw it twice; then `check`.  A draw under a conditional expression is refused (Python may not
    draw it), and so is a method call in a statement whose draws were moved before it (its body,
    inlined when compiling, would draw or change state after them)."""
    check(stmts, loc)  # (the parts the lowering computes first: before any draw is moved)
    out = []
    for st in stmts:
        if isinstance(st, (ir.Assign, ir.SetItem, ir.ExprStmt, ir.Return)) and st.value is not None \
                and draws(st.value, lowerer):
            pre = []
            value = _hoisted(lowerer, st.value, pre, loc, root=True)
            if pre and any(c.op in ("obj_method", "obj_new") and not _is_draw(c, lowerer)
                           for c in ir.expr_calls(value)):
                raise UnsupportedSyntaxError(
                    "this statement draws random numbers and calls a method (or makes an object) whose body s2sgrad "
                    "runs when compiling, which could draw or change state out of Python's order: call the method "
                    "in a statement of its own", loc)
            st = dataclasses.replace(st, value=value)
            out += pre
        out.append(st)
    return out


def _is_draw(c, lowerer=None) -> bool:
    """Whether call c draws: numpy's global generator, or a Generator's method -- `rng.normal(...)`
    of a name not known to hold an object of the user's class (whose `normal` is its own)."""
    if c.op.startswith("np.random.") and c.op != "np.random.default_rng":
        return True
    if not (c.op == "obj_method" and len(c.args) > 1 and isinstance(c.args[1], ir.Const)
            and c.args[1].value in _DRAW_METHODS):
        return False
    receiver = c.args[0]
    made = getattr(lowerer, "made_classes", {}).get(receiver.id, set()) if isinstance(receiver, ir.Name) else set()
    return not (made and None not in made)


def _hoisted(lowerer, e, pre, loc, root=False):
    """e with each draw in it bound to a name in `pre`, in the order Python evaluates them."""
    if isinstance(e, ir.Call):
        if e.op == "ifexp" and draws(e, lowerer):
            raise UnsupportedSyntaxError("a random draw inside a conditional expression (x if c else y), which "
                                         "Python draws only on the branch it takes: write an if statement", loc)
        args = tuple(_hoisted(lowerer, a, pre, loc) for a in e.args)
        kwargs = tuple((k, _hoisted(lowerer, v, pre, loc)) for k, v in e.kwargs)
        e = ir.Call(e.op, args, kwargs)
        if _is_draw(e, lowerer) and not root:
            tmp = lowerer.fresh("draw")
            pre.append(ir.Assign((tmp,), e, loc))
            return ir.Name(tmp)
        return e
    if isinstance(e, (ir.Tuple, ir.ListExpr)):
        return type(e)(tuple(_hoisted(lowerer, x, pre, loc) for x in e.elts))
    if isinstance(e, ir.DictExpr):
        keys, values = [], []
        for k, v in zip(e.keys, e.values):  # (Python: each key, then its value)
            keys.append(_hoisted(lowerer, k, pre, loc))
            values.append(_hoisted(lowerer, v, pre, loc))
        return ir.DictExpr(tuple(keys), tuple(values))
    if isinstance(e, ir.Slice):
        return ir.Slice(*(None if x is None else _hoisted(lowerer, x, pre, loc) for x in (e.lower, e.upper, e.step)))
    return e


def check(stmts, loc):
    """Refuse a statement lowered to `stmts` that draws both in a part computed first and in its
    last statement, whose order Python would not keep."""
    if len(stmts) < 2:
        return
    first = any(draws(e) for st in ir.walk(list(stmts[:-1])) for e in ir.exprs_of(st))
    last = any(draws(e) for e in ir.exprs_of(stmts[-1]))
    if first and last:
        raise UnsupportedSyntaxError(
            "this statement draws random numbers both in a part s2sgrad computes before the rest (a helper's body, a "
            "comprehension, a conditional expression, a drawn index) and in the rest: Python draws them in the order "
            "written, which the generated code would not keep; draw each in a statement of its own "
            "(z = np.random.standard_normal(n), then use z)", loc)
