"""Rule-table rows: arithmetic and elementwise functions (their forward rules are derived from
these: an elementwise row's contribution is linear in g and diagonal, so it maps a tangent too)."""
from __future__ import annotations

import math

from ..builder import E, NP
from ..ir import Call, Const
from .table import ARITY, Rule, _add, alias, binary, unary


# ------------------------------------------------------------------------ linear and bilinear
binary("add", lambda g, ans, x, y: (g, g))
binary("sub", lambda g, ans, x, y: (g, -g))
unary("neg", lambda g, ans, x: -g)
unary("pos", lambda g, ans, x: g)
binary("mul", lambda g, ans, x, y: (g * y, g * x))
binary("truediv", lambda g, ans, x, y: (g / y, -(g * ans) / y))


def _pow(c):
    g, ans, x, p = c.g, c.ans, c.args[0], c.args[1]
    xc, pc = c.call.args[0], c.call.args[1]
    if isinstance(pc, Const) and pc.value == 0:
        dx = None  # x ** 0 is 1 everywhere (0.0 ** -1.0 would raise)
    elif not isinstance(pc, Const):
        # x ** p is 1 wherever p is 0, x = 0 included, where p * x ** (p - 1) would be 0 * inf
        # (x ** k in a loop from k = 0, x ** orders with zero orders): p * x ** 0 = 0 there; only
        # there, so that the derivative of this in p (a Hessian's mixed entry) is 1 / x elsewhere
        dx = g * p * NP.power(x, NP.where(p.eq(0) & x.eq(0), 0, p - 1))
    elif c.is_number(0) and not pc.value >= 1:
        dx = g * p * NP.power(x, p - 1)  # a Python 0.0 ** -0.5 raises; numpy gives inf
    else:
        dx = g * p * x ** (p - 1)
    if isinstance(xc, Const):
        dp = None if xc.value == 0 else g * ans * NP.log(x)
    else:  # d/dp 0 ** p is 0 for p > 0, where log(0) * 0 would be NaN
        dp = g * ans * NP.log(NP.where(x.eq(0), 1.0, x))
    return (dx, dp)


_add(Rule("pow", _pow, "elementwise"))
ARITY["pow"] = 2
alias("np.power", "pow")
binary("mod", lambda g, ans, x, y: (g, -(g * NP.floor_divide(x, y))))
unary("float", lambda g, ans, x: g)
unary("np.float64", lambda g, ans, x: g)  # casts: identity (the driver casts gradients back)
unary("np.float32", lambda g, ans, x: g)


def _bool_and(c):
    """Python's `a and b` is b when a is true, else a (one of the operands, not a boolean)."""
    a = c.args[0]
    return (c.g * E(Call("not_", (a.e,))), c.g * E(Call("bool", (a.e,))))


def _bool_or(c):
    """`a or b` is a when a is true, else b."""
    a = c.args[0]
    return (c.g * E(Call("bool", (a.e,))), c.g * E(Call("not_", (a.e,))))


_add(Rule("bool_and", _bool_and, "elementwise"))
_add(Rule("bool_or", _bool_or, "elementwise"))
_add(Rule(".astype", lambda c: (c.g, None), "elementwise"))  # the driver casts gradients back at the end
unary("stop_gradient_identity", lambda g, ans, x: g)  # internal: np.asarray, copies
alias("np.asarray", "stop_gradient_identity")
alias(".copy", "stop_gradient_identity")
alias("np.copy", "stop_gradient_identity")
# copy.copy(x) / copy.deepcopy(x) of an array or a number: the same numbers in a new object (of a
# dict, list or object known when compiling: a new one of the same values, passes/containers.py)
alias("copy.copy", "stop_gradient_identity")
# a draw's scale and a Generator's uniform range, checked when they run as numpy checks them
# (runtime.draw_scale, draw_range): the identity and high - low
alias("draw_scale", "stop_gradient_identity")
alias("draw_range", "sub")
alias("draw_span", "sub")
alias("copy.deepcopy", "stop_gradient_identity")

# ------------------------------------------------------------------- elementwise, with ans
unary("np.exp", lambda g, ans, x: g * ans)
unary("np.log", lambda g, ans, x: g / x)
unary("np.sqrt", lambda g, ans, x: g * 0.5 / ans)
unary("np.sin", lambda g, ans, x: g * NP.cos(x))
unary("np.cos", lambda g, ans, x: -(g * NP.sin(x)))
unary("np.tan", lambda g, ans, x: g * (1 + ans * ans))
unary("np.tanh", lambda g, ans, x: g * (1 - ans * ans))
unary("np.abs", lambda g, ans, x: g * NP.sign(x))
alias("abs", "np.abs")
unary("np.square", lambda g, ans, x: g * 2 * x)
unary("np.log1p", lambda g, ans, x: g / (1 + x))
unary("np.expm1", lambda g, ans, x: g * (ans + 1))
unary("np.log2", lambda g, ans, x: g / (x * math.log(2)))
unary("np.log10", lambda g, ans, x: g / (x * math.log(10)))
unary("np.sinh", lambda g, ans, x: g * NP.cosh(x))
unary("np.cosh", lambda g, ans, x: g * NP.sinh(x))
unary("np.arctan", lambda g, ans, x: g / (1 + x * x))
unary("np.arcsin", lambda g, ans, x: g / NP.sqrt(1 - x * x))
unary("np.arccos", lambda g, ans, x: -g / NP.sqrt(1 - x * x))
unary("np.reciprocal", lambda g, ans, x: -(g * ans * ans))
# The side not taken gets 0 from np.where, not g * False: g may be infinite there (np.sqrt(np.maximum(v,
# 0)) where v < 0: 0.5 / sqrt(0) * False is nan, the derivative is 0)
binary("np.maximum", lambda g, ans, x, y: (_taken(x > y, g), _taken(x <= y, g)))
binary("np.minimum", lambda g, ans, x, y: (_taken(x < y, g), _taken(x >= y, g)))
alias("max", "np.maximum")  # builtin max(a, b) on scalars
alias("min", "np.minimum")
def lse_weight(x, ans, exp=NP.exp):
    """exp(x - ans), the weight of x in ans = log(sum(exp(...))) (logaddexp, logsumexp): 0 where ans
    is -inf -- every term is -inf there, the value -inf whatever they are, and exp(-inf - -inf)
    would be nan (a left-to-right HMM's log(0) transitions); there x - 0 is -inf, and its exp 0."""
    return exp(E(x) - NP.where(E(ans).eq(-math.inf), 0.0, ans))


binary("np.logaddexp", lambda g, ans, x, y: (g * lse_weight(x, ans), g * lse_weight(y, ans)))
binary("np.arctan2", lambda g, ans, y, x: (g * x / (x * x + y * y), -(g * y) / (x * x + y * y)))


def _taken(mask, g):
    """g where the operand was the one taken, 0 elsewhere (never g * mask: an infinite g times False
    is nan)."""
    return NP.where(mask, g, 0.0)


def _where(c):
    if len(c.args) == 1:  # np.where(cond): the indices where cond holds, piecewise constant
        return (None,)
    cond, x, y = c.args
    return (None, NP.where(cond, c.g, 0.0), NP.where(cond, 0.0, c.g))


_add(Rule("np.where", _where, "elementwise"))


def _bound(c, i):
    a = c.call.args[i] if i < len(c.call.args) else None
    return None if a is None or (isinstance(a, Const) and a.value is None) else c.args[i]


def _clip(c):
    """np.minimum(np.maximum(x, lo), hi): x where lo <= x <= hi, lo where x < lo (and lo <= hi),
    hi elsewhere (numpy gives hi everywhere when lo > hi)."""
    g, x, lo, hi = c.g, c.args[0], _bound(c, 1), _bound(c, 2)
    if lo is not None and hi is not None:
        return (_taken((x >= lo) & (x <= hi), g), _taken((x < lo) & (lo <= hi), g), _taken((x > hi) | (lo > hi), g))
    if lo is not None:
        return (_taken(x >= lo, g), _taken(x < lo, g)) + (None,) * (len(c.args) - 2)
    if hi is not None:
        return (_taken(x <= hi, g), None, _taken(x > hi, g))
    return (g,) + (None,) * (len(c.args) - 1)


_add(Rule("np.clip", _clip, "elementwise"))
alias(".clip", "np.clip")
