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
  rules/args.py says how a call's arguments reach a row (keywords that carry a derivative moved to
  their positions, list literals made arrays).  Constructors, casts, random draws, dot and shape
  operations are in rules/arrays.py.

A numpy function with no row is refused by the frontend with an error naming it: never a silent zero.
The rule lambdas only build expressions (builder.E): the names they read (x, y, ans) become the
primal values the reverse sweep must keep, which is how the to-be-recorded analysis learns them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional

import numpy as np

from ..builder import E, lift
from ..ir import Call, Const, ListExpr, Name, Tuple


@dataclass(frozen=True)
class Rule:
    op: str
    vjp: Optional[Callable]  # vjp(ctx) -> tuple of E | None, one per positional argument
    kind: str                # "elementwise" | "structural" | "nondiff"
    lazy_g: bool = True      # accepts a cotangent that only broadcasts to ans
    shape_from_values: bool = False  # result shape depends on argument *values* (constructors)
    jvp: Optional[Callable] = None   # jvp(ctx) -> E | None: the result's tangent (structural rows;
    #                                  an elementwise row's comes from its vjp, see ad/forward.py)


RULES: dict = {}


def _add(rule):
    if rule.vjp is not None:
        rule = Rule(rule.op, _guarded(rule.vjp), rule.kind, rule.lazy_g, rule.shape_from_values, rule.jvp)
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
            dt = _named_dtype(c.call)
        if dt is not None and dt.kind in "biu":
            return (None,) * len(c.args)
        from .complex_guard import check
        check(c, c.active)  # a real formula given a complex value: refused (rules/complex_guard.py)
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


def _named_dtype(call, builtins=False):
    """The dtype a cast names (`.astype(np.int32)`, `dtype="float32"`; with builtins, `dtype=int` and
    `bool` too), None when it names none."""
    e = call.args[1] if call.op == ".astype" and len(call.args) > 1 else call.kw("dtype")
    if e is None:
        return None
    obj = e.value if isinstance(e, Const) else getattr(np, e.id[3:], None) \
        if isinstance(e, Name) and e.id.startswith("np.") else {"int": int, "bool": bool}.get(e.id) \
        if builtins and isinstance(e, Name) else None
    try:
        return np.dtype(obj) if obj is not None else None
    except TypeError:
        return None


def casts_to_integer(call) -> bool:
    """Whether call is a cast (np.array(L, dtype=int), .astype(bool), ...) to an integer or boolean
    dtype: its result is piecewise constant, with no derivative, whatever its operand is."""
    if call.op not in _CASTS:
        return False
    dt = _named_dtype(call, builtins=True)
    return dt is not None and dt.kind in "biu"


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


def structural(op, f, lazy_g=True, shape_from_values=False, jvp=None):
    """A row that needs shapes: f(ctx) gives the contributions (reverse mode), jvp(ctx) the result's
    tangent (forward mode; `linear(...)`/`multilinear(...)` below build the common ones)."""
    _add(Rule(op, f, "structural", lazy_g, shape_from_values, jvp))


def nondiff(*ops, shape_from_values=False):
    for op in ops:
        _add(Rule(op, None, "nondiff", shape_from_values=shape_from_values))


def alias(op, target):
    r = RULES[target]
    if target in ARITY:
        ARITY[op] = ARITY[target]
    RULES[op] = Rule(op, r.vjp, r.kind, r.lazy_g, r.shape_from_values, r.jvp)  # vjp already guarded


def linear(*positions):
    """The forward rule of a row linear in its arguments at `positions` jointly (reshape, indexing,
    sum, concatenate, a constructor's fill value): the same call on their tangents, zeros where an
    argument carries none."""
    def jvp(c):
        if not any(c.has_tangent(i) for i in positions if i < len(c.call.args)):
            return None
        args = list(c.call.args)
        for i in positions:
            if i < len(args):
                args[i] = c.tangent_arg(i)
        return c.with_args(args)
    jvp.linear_in = positions
    return jvp


def multilinear(*positions):
    """The forward rule of a row linear in each argument at `positions` separately (matmul, dot,
    outer, einsum): the product rule, one term per argument carrying a tangent."""
    def jvp(c):
        total = None
        for i in positions:
            if i < len(c.call.args) and c.has_tangent(i):
                args = list(c.call.args)
                args[i] = c.tangent_arg(i)
                term = c.with_args(args)
                total = term if total is None else total + term
        return total
    jvp.linear_in = positions
    return jvp


def set_jvp(op, jvp):
    """Give an existing row (and its aliases made before) its forward rule."""
    for name, r in list(RULES.items()):
        if name == op or (r.vjp is RULES[op].vjp and r.kind == RULES[op].kind):
            RULES[name] = Rule(name, r.vjp, r.kind, r.lazy_g, r.shape_from_values, jvp)
