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

import libcst as cst

from .. import ir
from ..errors import UnsupportedSyntaxError
from ..rules.nondiff import GENERATOR_METHODS

_DRAW_METHODS = frozenset(GENERATOR_METHODS) | {"normal", "uniform", "exponential"}


def draws(e) -> bool:
    """Whether expression e may draw random numbers (or seed the generator)."""
    return isinstance(e, ir.Expr) and any(
        c.op.startswith("np.random.") and c.op != "np.random.default_rng"
        or c.op == "obj_method" and len(c.args) > 1 and isinstance(c.args[1], ir.Const)
        and c.args[1].value in _DRAW_METHODS for c in ir.expr_calls(e))


def index_draws(target: cst.Subscript) -> bool:
    """Whether an index written into may call anything (a draw among them): its value is then
    computed first, as Python does."""
    return any(isinstance(n, cst.Call) for el in target.slice for n in _nodes(el.slice))


def _nodes(node):
    yield node
    for child in node.children:
        yield from _nodes(child)


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
