"""THE rule table: one row per primitive, in math notation.

Each row says how the cotangent `g` of a primitive's result `ans` flows back to its arguments.
Rows are grouped by kind, the way JAX groups them:

- elementwise rows (`unary`, `binary`): `g` may be any shape that broadcasts to `ans`, and a
  contribution may come out larger than its argument (the argument was broadcast in the forward
  pass); the reverse-mode driver (reverse.py) reduces it back with `.sum(axis=...)`, once, only where
  the static shapes differ.  Rules never unbroadcast themselves.
- structural rows (`structural`): matmul, reductions, shape ops, indexing.  They get the shapes of
  their arguments and result (`ctx`), and say whether they accept a broadcastable `g` (`lazy_g`).
- non-differentiable rows (`nondiff`): comparisons, integer functions, array constructors, shapes.
  Their results are constants for differentiation.

A numpy function with no row is refused by the frontend with an error naming it: never a silent zero.
The rule lambdas only build expressions (builder.E): the names they read (x, y, ans) become the
primal values the reverse sweep must keep, which is how the to-be-recorded analysis learns them.
"""
from __future__ import annotations

import builtins
import math
from dataclasses import dataclass
from typing import Callable, Optional

import numpy as np

from .builder import E, NP, lift
from .ir import Const, Tuple


@dataclass(frozen=True)
class Rule:
    op: str
    vjp: Optional[Callable]  # vjp(ctx) -> tuple of E | None, one per positional argument
    kind: str                # "elementwise" | "structural" | "nondiff"
    lazy_g: bool = True      # accepts a cotangent that only broadcasts to ans
    shape_from_values: bool = False  # result shape depends on argument *values* (constructors)


RULES: dict = {}


def _add(rule):
    RULES[rule.op] = rule


def unary(op, f):
    """Elementwise f(x): f is `lambda g, ans, x: contribution`."""
    _add(Rule(op, lambda c: (f(c.g, c.ans, c.args[0]),), "elementwise"))


def binary(op, f):
    """Elementwise f(x, y): f is `lambda g, ans, x, y: (contribution_x, contribution_y)`."""
    _add(Rule(op, lambda c: f(c.g, c.ans, c.args[0], c.args[1]), "elementwise"))


def structural(op, f, lazy_g=True):
    _add(Rule(op, f, "structural", lazy_g))


def nondiff(*ops, shape_from_values=False):
    for op in ops:
        _add(Rule(op, None, "nondiff", shape_from_values=shape_from_values))


def alias(op, target):
    r = RULES[target]
    RULES[op] = Rule(op, r.vjp, r.kind, r.lazy_g, r.shape_from_values)


# ------------------------------------------------------------------------ linear and bilinear
binary("add", lambda g, ans, x, y: (g, g))
binary("sub", lambda g, ans, x, y: (g, -g))
unary("neg", lambda g, ans, x: -g)
unary("pos", lambda g, ans, x: g)
binary("mul", lambda g, ans, x, y: (g * y, g * x))
binary("truediv", lambda g, ans, x, y: (g / y, -(g * ans) / y))
binary("pow", lambda g, ans, x, p: (g * p * x ** (p - 1), g * ans * NP.log(x)))
alias("np.power", "pow")
binary("mod", lambda g, ans, x, y: (g, -(g * NP.floor_divide(x, y))))
unary("float", lambda g, ans, x: g)
_add(Rule(".astype", lambda c: (c.g, None), "elementwise"))  # the driver casts gradients back at the end
unary("stop_gradient_identity", lambda g, ans, x: g)  # internal: np.asarray, copies
alias("np.asarray", "stop_gradient_identity")
alias(".copy", "stop_gradient_identity")
alias("np.copy", "stop_gradient_identity")

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
binary("np.maximum", lambda g, ans, x, y: (g * (x > y), g * (x <= y)))
binary("np.minimum", lambda g, ans, x, y: (g * (x < y), g * (x >= y)))
alias("max", "np.maximum")  # builtin max(a, b) on scalars
alias("min", "np.minimum")
binary("np.logaddexp", lambda g, ans, x, y: (g * NP.exp(x - ans), g * NP.exp(y - ans)))
binary("np.arctan2", lambda g, ans, y, x: (g * x / (x * x + y * y), -(g * y) / (x * x + y * y)))


def _where(c):
    cond, x, y = c.args
    return (None, NP.where(cond, c.g, 0.0), NP.where(cond, 0.0, c.g))


_add(Rule("np.where", _where, "elementwise"))


def _clip(c):
    x, lo, hi = c.args
    return (c.g * ((x >= lo) & (x <= hi)), None, None)


_add(Rule("np.clip", _clip, "elementwise"))
alias(".clip", "np.clip")


# ------------------------------------------------------------------------------ reductions
def _axes(c, ndim):
    """The reduced axes as a sorted tuple of non-negative ints (None: all)."""
    axis = c.kw("axis", 1)
    if axis is None:
        return tuple(range(ndim)) if ndim is not None else None
    axes = axis if isinstance(axis, tuple) else (axis,)
    if ndim is None:
        return axes if all(a >= 0 for a in axes) else None
    return tuple(sorted(a % ndim for a in axes))


def _expand(c, v: E) -> E:
    """A value shaped like the reduction's result, made broadcastable against its input."""
    if c.kw("keepdims", None, False) or c.kw("axis", 1) is None:
        return v
    axes = _axes(c, c.ndim(0))
    if axes is None:
        raise c.unsupported("a negative axis on an input of unknown rank")
    return NP.expand_dims(v, axes[0] if len(axes) == 1 else axes)


def _sum(c):
    return (_expand(c, c.g),)


def _mean(c):
    """g divided by the number of elements averaged, read from the input's shape at run time (so
    the code stays right for any batch size)."""
    x = c.args[0]
    axis = c.kw("axis", 1)
    if axis is None:
        n = x.size
    elif isinstance(axis, int):
        n = x.shape[axis]
    else:
        n = x.size / NP.size(c.ans)
    return (_expand(c, c.g) / n,)


def _maxmin(c):
    x = c.args[0]
    hit = x.eq(_expand(c, c.ans))  # ties share the cotangent equally (a valid subgradient)
    count = NP.sum(hit) if c.kw("axis", 1) is None else hit.method("sum", axis=c.kw("axis", 1), keepdims=True)
    return (_expand(c, c.g) * hit / count,)


def _norm(c):
    if c.kw("ord", 1, None) not in (None, 2, "fro") or (c.kw("ord", 1, None) == 2 and c.ndim(0) == 2):
        raise c.unsupported("np.linalg.norm with ord other than the 2-norm / Frobenius norm")
    x = c.args[0]
    return (_expand(c, c.g) * x / _expand(c, c.ans), None)


# a reduction's rule expands g along the reduced axes, so it needs g with the result's own shape
structural("np.sum", _sum, lazy_g=False)
alias(".sum", "np.sum")
structural("np.mean", _mean, lazy_g=False)
alias(".mean", "np.mean")
structural("np.max", _maxmin, lazy_g=False)
alias("np.amax", "np.max")
alias(".max", "np.max")
structural("np.min", _maxmin, lazy_g=False)
alias("np.amin", "np.min")
alias(".min", "np.min")
structural("np.linalg.norm", _norm, lazy_g=False)


# --------------------------------------------------------------------------- matmul and dot
def _matmul(c):
    g, x, y = c.g, c.args[0], c.args[1]
    nx, ny = c.ndim(0), c.ndim(1)
    if nx == 2 and ny == 2:
        return (g @ y.T, x.T @ g)
    if nx == 1 and ny == 2:
        return (y @ g, NP.outer(x, g))
    if nx == 2 and ny == 1:
        return (NP.outer(g, y), g @ x)
    if nx == 1 and ny == 1:
        return (g * y, g * x)
    if nx is not None and ny is not None and nx >= 2 and ny >= 2:
        return (g @ NP.swapaxes(y, -1, -2), NP.swapaxes(x, -1, -2) @ g)
    return (E(_runtime("matmul_grad_x", g, x, y)), E(_runtime("matmul_grad_y", g, x, y)))


def _runtime(name, *args):
    from .ir import Call
    return Call(name, tuple(lift(a) for a in args))


structural("matmul", _matmul, lazy_g=False)
alias("np.matmul", "matmul")
alias("np.dot", "matmul")
alias(".dot", "matmul")


def _outer(c):
    g, x, y = c.g, c.args[0], c.args[1]
    return (g @ NP.ravel(y), NP.ravel(x) @ g)


structural("np.outer", _outer, lazy_g=False)


# ------------------------------------------------------------------------------ shape ops
def _reshape(c):
    return (c.g.method("reshape", c.args[0].shape),) + (None,) * (len(c.args) - 1)


structural(".reshape", _reshape, lazy_g=False)
structural("np.reshape", _reshape, lazy_g=False)
alias(".ravel", ".reshape")
alias("np.ravel", ".reshape")
alias(".flatten", ".reshape")


def _transpose(c):
    axes = c.kw("axes", 1, None)
    if len(c.args) > 1 and axes is None:  # x.transpose(1, 0, 2) style
        axes = tuple(c.const_arg(i) for i in range(1, len(c.args)))
    if axes is None:
        return (c.g.T,) + (None,) * (len(c.args) - 1)
    inv = tuple(int(i) for i in np.argsort(axes))
    return (NP.transpose(c.g, inv),) + (None,) * (len(c.args) - 1)


structural("@T", _transpose, lazy_g=False)
structural("np.transpose", _transpose, lazy_g=False)
structural(".transpose", _transpose, lazy_g=False)


def _squeeze_like(c):
    return (c.g.method("reshape", c.args[0].shape),) + (None,) * (len(c.args) - 1)


structural("np.expand_dims", _squeeze_like, lazy_g=False)
structural("np.squeeze", _squeeze_like, lazy_g=False)
structural(".squeeze", _squeeze_like, lazy_g=False)


def _broadcast_to(c):
    return (c.g, None)  # the driver's unbroadcast reduces it to the input's shape


_add(Rule("np.broadcast_to", _broadcast_to, "elementwise"))


def _getitem(c):
    # scatter: handled by the driver (it needs to know whether grad_x already exists)
    return ("scatter", None)


structural("getitem", _getitem)


def _stack(c):
    n = c.list_len(0)
    axis = c.kw("axis", 1, 0)
    return (tuple(NP.take(c.g, i, axis=axis) for i in range(n)),)


def _concatenate(c):
    shapes = c.list_shapes(0)
    axis = c.kw("axis", 1, 0)
    if shapes is None:
        raise c.unsupported("np.concatenate of arrays whose shapes are unknown")
    out, start = [], 0
    for s in shapes:
        ax = axis % len(s)
        idx = (slice(None),) * ax + (slice(start, start + s[ax]),)
        out.append(c.g[_slice_expr(idx)])
        start += s[ax]
    return (tuple(out),)


def _slice_expr(idx):
    from .ir import Slice
    parts = []
    for s in idx:
        parts.append(Slice(None if s.start is None else Const(s.start), None if s.stop is None else Const(s.stop), None))
    return Tuple(tuple(parts)) if len(parts) > 1 else parts[0]


structural("np.stack", _stack, lazy_g=False)
structural("np.concatenate", _concatenate, lazy_g=False)

# ------------------------------------------------------------------- non-differentiable
nondiff("lt", "le", "gt", "ge", "eq", "ne", "and_", "or_", "invert", "not_", "bool_and", "bool_or",
        "is_", "is_not", "in_", "not_in", "floordiv",
        "np.sign", "np.floor", "np.ceil", "np.round", "np.rint", "np.trunc", "np.argmax", "np.argmin",
        "np.argsort", "np.isnan", "np.isfinite", "np.isinf", "np.logical_and", "np.logical_or",
        "np.logical_not", "np.shape", "np.ndim", "np.size", "len", "int", "bool", "range",
        "@shape", "@ndim", "@size", "@dtype", ".argmax", ".argmin", ".astype_int",
        "np.zeros_like", "np.ones_like", "np.empty_like", "np.full_like", "np.random.randn",
        "np.random.rand", "np.random.normal", "np.random.uniform", "np.all", "np.any", ".all", ".any",
        "np.allclose", "np.isclose", "np.count_nonzero", "stop_gradient", "np.floor_divide",
        "np.equal", "np.greater", "np.less", "tuple", "np.float64", "np.float32", "np.int64")
nondiff("np.zeros", "np.ones", "np.empty", "np.full", "np.arange", "np.eye", "np.identity",
        "np.array", "np.linspace", "np.tri", "np.triu", "np.tril", shape_from_values=True)

# ------------------------------------------------------- resolving callables to rule rows
# numpy functions, math functions and builtins that map onto a row above (object -> op)
_NUMPY_ALIASES = {
    "add": "add", "subtract": "sub", "multiply": "mul", "divide": "truediv", "true_divide": "truediv",
    "negative": "neg", "absolute": "np.abs", "fabs": "np.abs", "amax": "np.max", "amin": "np.min",
}
_MATH = {"exp": "np.exp", "log": "np.log", "sqrt": "np.sqrt", "sin": "np.sin", "cos": "np.cos",
         "tan": "np.tan", "tanh": "np.tanh", "fabs": "np.abs", "log1p": "np.log1p", "expm1": "np.expm1",
         "sinh": "np.sinh", "cosh": "np.cosh", "atan": "np.arctan", "asin": "np.arcsin",
         "acos": "np.arccos", "floor": "np.floor", "ceil": "np.ceil", "log2": "np.log2",
         "log10": "np.log10", "atan2": "np.arctan2"}
_BUILTINS = {"abs": "abs", "max": "max", "min": "min", "float": "float", "len": "len", "int": "int",
             "bool": "bool", "range": "range", "tuple": "tuple"}


def _resolve(path):
    obj = np
    for part in path.split(".")[1:]:
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


def _build_callable_table():
    table = {}
    for op in RULES:
        if op.startswith("np."):
            obj = _resolve(op)
            if obj is not None:
                table.setdefault(id(obj), (obj, op))
    for name, op in _NUMPY_ALIASES.items():
        obj = getattr(np, name, None)
        if obj is not None:
            table[id(obj)] = (obj, op)
    for name, op in _MATH.items():
        table[id(getattr(math, name))] = (getattr(math, name), op)
    for name, op in _BUILTINS.items():
        table[id(getattr(builtins, name))] = (getattr(builtins, name), op)
    return table


CALLABLES = _build_callable_table()
# array methods: x.sum() -> ".sum" (printed as a method, same row as np.sum)
METHODS = {name[1:]: name for name in RULES if name.startswith(".")}
ATTRIBUTES = {"T": "@T", "shape": "@shape", "ndim": "@ndim", "size": "@size", "dtype": "@dtype"}


def op_for_callable(obj) -> Optional[str]:
    hit = CALLABLES.get(id(obj))
    return hit[1] if hit is not None and hit[0] is obj else None
