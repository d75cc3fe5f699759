"""THE rule table: one row per primitive, in math notation.

Each row says how the cotangent `g` of a primitive's result `ans` flows back to its arguments.
Rows are grouped by kind, the way JAX groups them:

- elementwise rows (`unary`, `binary`): `g` may be any shape that broadcasts to `ans`, and a
  contribution may come out larger than its argument (the argument was broadcast in the forward
  pass); the reverse-mode driver (reverse.py) reduces it back with `.sum(axis=...)`, once, only where
  the static shapes differ.  Rules never unbroadcast themselves.
- structural rows (`structural`): matmul, reductions, shape ops, indexing.  They get the shapes of
  their arguments and result (`ctx`), and say whether they accept a broadcastable `g` (`lazy_g`).
- non-differentiable rows (`nondiff`): only results that are piecewise constant in, or independent
  of, the values of their floating arguments (comparisons, rounding, integer results, shapes,
  constructors that read only a shape).  Their results are constants for differentiation.
  tests/test_rule_table_soundness.py checks every row, these included, against finite differences.
- every row's contributions pass `_guarded`: none for an integer or boolean result, and a refusal
  for a list literal of differentiable values that the row would not split back to its elements.
  rule_args.py says how a call's arguments reach a row (keywords that carry a derivative moved to
  their positions, list literals made arrays).  Constructors, casts, random draws, dot and shape
  operations are in rules_arrays.py.

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
from .ir import Call, Const, ListExpr, Name, Tuple


@dataclass(frozen=True)
class Rule:
    op: str
    vjp: Optional[Callable]  # vjp(ctx) -> tuple of E | None, one per positional argument
    kind: str                # "elementwise" | "structural" | "nondiff"
    lazy_g: bool = True      # accepts a cotangent that only broadcasts to ans
    shape_from_values: bool = False  # result shape depends on argument *values* (constructors)


RULES: dict = {}


def _add(rule):
    if rule.vjp is not None:
        rule = Rule(rule.op, _guarded(rule.vjp), rule.kind, rule.lazy_g, rule.shape_from_values)
    RULES[rule.op] = rule


def _guarded(vjp):
    """The checks every differentiable row shares:
    - an integer or boolean result is piecewise constant in its arguments: no contribution (a
      cast `x.astype(np.int64)`, `np.full_like(int_array, x)`, `np.array([x, y], dtype="int32")`);
      where the compiler cannot see the dtype, a cast's contributions are zeroed at run time when
      the result is not floating (`float_only`), and a dtype it cannot read is refused;
    - a list literal holding differentiable values must get one contribution per element, else
      the row would drop them silently: refused (rows that split a literal return a tuple)."""
    def run(c):
        dt = c.ans_dtype()
        if dt is None and c.call.op in _CASTS:
            dt = _named_dtype(c)
        if dt is not None and dt.kind in "biu":
            return (None,) * len(c.args)
        out = tuple(vjp(c))
        if dt is None and c.call.op in _CASTS:
            out = tuple(_float_only(o, c.ans) for o in out)
        for i, a in enumerate(c.call.args):
            oi = out[i] if i < len(out) else None
            if isinstance(a, (ListExpr, Tuple)) and c.active(i) and not isinstance(oi, tuple):
                raise c.unsupported("a list or tuple literal of differentiable values in this position "
                                    "(write np.array([...]) or np.stack([...]))")
        return out
    run.__wrapped__ = vjp
    return run


def _float_only(o, ans):
    if o is None:
        return None
    if isinstance(o, tuple):
        return tuple(_float_only(x, ans) for x in o)
    return E(Call("float_only", (lift(o), ans.e)))


# rows whose result dtype may come from elsewhere than their floating arguments
_CASTS = {".astype", "np.array", "np.asarray", "stop_gradient_identity", "np.full", "np.full_like",
          "np.linspace", "np.arange", "np.copy", ".copy"}


def _named_dtype(c):
    """The dtype a cast names (`.astype(np.int32)`, `dtype="float32"`), None when it names none."""
    e = c.call.args[1] if c.call.op == ".astype" and len(c.call.args) > 1 else c.call.kw("dtype")
    if e is None:
        return None
    obj = e.value if isinstance(e, Const) else getattr(np, e.id[3:], None) \
        if isinstance(e, Name) and e.id.startswith("np.") else None
    try:
        return np.dtype(obj) if obj is not None else None
    except TypeError:
        return None


# how many positional arguments the elementwise rows read (a numpy ufunc's next positional
# argument is `out`, which the frontend refuses)
ARITY = {}


def unary(op, f):
    """Elementwise f(x): f is `lambda g, ans, x: contribution`."""
    ARITY[op] = 1
    _add(Rule(op, lambda c: (f(c.g, c.ans, c.args[0]),), "elementwise"))


def binary(op, f):
    """Elementwise f(x, y): f is `lambda g, ans, x, y: (contribution_x, contribution_y)`."""
    ARITY[op] = 2
    _add(Rule(op, lambda c: f(c.g, c.ans, c.args[0], c.args[1]), "elementwise"))


def structural(op, f, lazy_g=True, shape_from_values=False):
    _add(Rule(op, f, "structural", lazy_g, shape_from_values))


def nondiff(*ops, shape_from_values=False):
    for op in ops:
        _add(Rule(op, None, "nondiff", shape_from_values=shape_from_values))


def alias(op, target):
    r = RULES[target]
    if target in ARITY:
        ARITY[op] = ARITY[target]
    RULES[op] = Rule(op, r.vjp, r.kind, r.lazy_g, r.shape_from_values)  # vjp already guarded


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
    elif c.is_number(0) and not (isinstance(pc, Const) and pc.value >= 1):
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
        return (g * ((x >= lo) & (x <= hi)), g * ((x < lo) & (lo <= hi)), g * ((x > hi) | (lo > hi)))
    if lo is not None:
        return (g * (x >= lo), g * (x < lo)) + (None,) * (len(c.args) - 2)
    if hi is not None:
        return (g * (x <= hi), None, g * (x > hi))
    return (g,) + (None,) * (len(c.args) - 1)


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


def _of_scalar(c):
    """A reduction of a 0-d value (numpy accepts axis=0 or -1 there) is the value itself."""
    return c.ndim(0) == 0


def _sum(c):
    if _of_scalar(c):
        return (c.g,)
    return (_expand(c, c.g),)


def _mean(c):
    """g divided by the number of elements averaged, read from the input's shape at run time (so
    the code stays right for any batch size)."""
    if _of_scalar(c):
        return (c.g,)
    x = c.args[0]
    axis = c.kw("axis", 1)
    size = x.size if c.is_array(0) else NP.size(x)
    if axis is None:
        n = size
    elif isinstance(axis, int):
        n = (x.shape if c.is_array(0) else NP.shape(x))[axis]
    else:
        n = size / NP.size(c.ans)
    if c.ans_shape() == () and c.shape(0) is not None and 0 in c.shape(0):
        n = NP.float64(n)  # the mean of nothing is NaN, as numpy says (1.0 / 0 would raise)
    return (_expand(c, c.g) / n,)


def _maxmin(c):
    if _of_scalar(c):
        return (c.g,)
    x = c.args[0]
    hit = x.eq(_expand(c, c.ans))  # ties share the cotangent equally (a valid subgradient)
    count = NP.sum(hit) if c.kw("axis", 1) is None else hit.method("sum", axis=c.kw("axis", 1), keepdims=True)
    return (_expand(c, c.g) * hit / count,)


def _norm(c):
    """The 2-norm / Frobenius norm: x gets g x / norm, and the subgradient 0 where the norm is 0
    (torch's choice; x / norm would be 0 / 0 = NaN there).  Every other ord goes to
    runtime_grads.norm_grad, which documents its subgradients."""
    ord_ = c.kw("ord", 1, None)
    axis = c.kw("axis", 2)
    rest = (None,) * (len(c.args) - 1)
    if _of_scalar(c) and axis is None and ord_ in (None, 2):
        return (c.g * NP.sign(c.args[0]),) + rest  # the norm of a number is its absolute value
    matrix = (axis is None and c.ndim(0) == 2 and ord_ is not None) or (isinstance(axis, tuple) and len(axis) == 2)
    x = c.args[0]
    if ord_ in (None, "fro") or (ord_ == 2 and not matrix):
        n = _expand(c, c.ans)
        return (_expand(c, c.g) * x / NP.where(n.eq(0), 1.0, n),) + rest
    return (E(Call("norm_grad", (c.g.e, x.e, c.ans.e, Const(ord_), Const(axis),
                                 Const(bool(c.kw("keepdims", None, False)))))),) + rest


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


# ------------------------------------------------------------------------------ indexing
def _getitem(c):
    # scatter: handled by the driver (it needs to know whether grad_x already exists)
    return ("scatter", None)


structural("getitem", _getitem)


def _stack(c):
    """Element i gets g's slice i along the stacking axis: a view (`g[i]`, `g[:, i]`), not a copy;
    np.take where the axis is negative and the rank unknown."""
    n = c.list_len(0)
    axis = c.kw("axis", 1, 0)
    nd = c.ans_shape()
    if axis is not None and axis < 0 and nd is not None:
        axis %= len(nd)
    if axis is None or axis < 0:
        return (tuple(NP.take(c.g, i, axis=axis) for i in range(n)),)
    from .ir import Slice
    return (tuple(c.g[Tuple((Slice(None, None, None),) * axis + (Const(i),)) if axis else Const(i)]
                  for i in range(n)),)


def _concatenate(c):
    shapes = c.list_shapes(0)
    axis = c.kw("axis", 1, 0)
    if shapes is None:  # split where the run-time shapes say
        parts = c.call.args[0].elts
        return (tuple(E(Call("concat_part", (lift(c.g), Const(axis), Const(i)) + tuple(parts)))
                      for i in range(len(parts))),)
    out, start = [], 0
    if axis is None:  # the inputs flattened, one after the other
        for s in shapes:
            n = int(np.prod(s))
            piece = c.g[_slice_expr((slice(start, start + n),))]
            out.append(piece.method("reshape", s) if len(s) != 1 else piece)
            start += n
        return (tuple(out),)
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
# Only results that are piecewise constant in, or independent of, the values of their floating
# arguments belong here (tests/test_rule_table_soundness.py checks each against finite differences):
# comparisons and logic (booleans), rounding and integer results, shapes and sizes, constructors that
# read only a shape, random draws whose distribution has no floating parameter, and stop_gradient.
nondiff("lt", "le", "gt", "ge", "eq", "ne", "and_", "or_", "invert", "not_",
        "is_", "is_not", "in_", "not_in", "floordiv",
        "np.sign", "np.floor", "np.ceil", "np.round", "np.rint", "np.trunc", "np.argmax", "np.argmin",
        "np.argsort", "np.isnan", "np.isfinite", "np.isinf", "np.logical_and", "np.logical_or",
        "np.logical_not", "np.shape", "np.ndim", "np.size", "len", "int", "bool", "range",
        "@shape", "@ndim", "@size", "@dtype", ".argmax", ".argmin",
        "np.zeros_like", "np.ones_like", "np.empty_like", "np.random.randn", "np.random.rand",
        "np.random.random", "np.random.standard_normal", "np.all", "np.any", ".all", ".any",
        "np.allclose", "np.isclose", "np.count_nonzero", "stop_gradient", "np.floor_divide",
        "np.equal", "np.greater", "np.less", "np.int64", "split_bounds")
nondiff("np.zeros", "np.ones", "np.empty", "np.eye", "np.identity", "np.tri", shape_from_values=True)

# the rows for matmul/dot, shape ops, constructors, casts and random draws: importing the module
# adds them to RULES (it needs the helpers above, hence here)
import importlib  # noqa: E402

# which module defines each row (the README's supported-function list groups them by it)
ORIGIN = {op: "rules" for op in RULES}
for _module in ("rules_arrays", "rules_reductions", "rules_contract", "rules_linalg", "rules_shape", "rules_more"):
    _before = set(RULES)
    importlib.import_module(f".{_module}", __package__)
    ORIGIN.update({op: _module for op in set(RULES) - _before})
_BEFORE_ISSUE_11 = {op for op, m in ORIGIN.items() if m in ("rules", "rules_arrays")}


def _numpy_only():
    """Rows (and the adjoint helpers they call) that only the numpy backend runs: the Triton
    backend's host code calls torch's functions of the same name, whose semantics differ
    (torch.var is unbiased, torch.median takes the lower middle, torch.sort returns indices too),
    so it refuses these rather than change a value silently."""
    from .runtime_grads import NAMES as grads
    from .runtime_linalg import NAMES as linalg
    return frozenset(set(RULES) - _BEFORE_ISSUE_11) | set(grads) | set(linalg) | {
        "math_erf", "math_erfc", "math_lgamma", "math_gamma"}


NUMPY_ONLY = _numpy_only()

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
         "log10": "np.log10", "atan2": "np.arctan2", "erf": "math_erf", "erfc": "math_erfc",
         "lgamma": "math_lgamma", "gamma": "math_gamma", "hypot": "np.hypot", "pow": "np.power",
         "asinh": "np.arcsinh", "acosh": "np.arccosh", "atanh": "np.arctanh", "degrees": "np.degrees",
         "radians": "np.radians", "copysign": "np.copysign", "fmod": "np.fmod", "cbrt": "np.cbrt",
         "exp2": "np.exp2", "trunc": "np.trunc"}
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
        if hasattr(math, name):  # cbrt and exp2 are new in Python 3.11
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
