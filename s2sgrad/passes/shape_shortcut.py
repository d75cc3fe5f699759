"""The shape inference's shortcut for big placeholders.

shapes.evaluate runs each primitive on placeholders of the arguments' shapes, so that numpy decides
every result shape and dtype.  numpy computes every element while doing so: a product of two
8192x4096 placeholders cost 13 s of the first call, `np.tanh` of 1e8 elements a second, on every
backend.  For the primitives whose result shape follows from their arguments' shapes alone -- maps
(operators, one-output ufuncs without a core signature, so not np.vecdot or np.matvec, and
np.where/np.clip with three arguments: the broadcast of the arguments' shapes; np.zeros_like,
np.ones_like and np.empty_like of one argument: its shape), 1-D/2-D products,
`.T`, and reductions along constant axes, alone or nested (an adjoint such as `g @ W.T` or
`g * (x == m) / (x == m).sum(axis=1, keepdims=True)`) -- this module runs them on one-element
stand-ins of the same ranks (numpy >= 2 takes a result dtype from the arguments' dtypes alone,
NEP 50, not from their sizes) and puts the shape together from the arguments' shapes.  A stand-in
holds ones, as the placeholders do, but a computed operand's stand-in does not hold what numpy
computed: the one numpy error among these that depends on values, an integer power's negative
exponent, is left to numpy when the exponent is computed.  A reduction whose argument is no bigger
than its stand-in (a size-0 axis, many short axes) reduces the argument itself.

Guarantee: `shortcut` returns the value numpy itself would give for the full-size placeholders
(as the evaluated result: an array of that shape and dtype, a zero-stride placeholder), or None
when it does not apply (small arguments, other primitives, shapes that do not agree): the caller
then evaluates as before, and any numpy error is raised there.
"""
from __future__ import annotations

import math

import numpy as np

from ..ir import Attr, Call, Const, Name, Tuple, expr_src

BIG = 1 << 14  # elements: under this, evaluating on the full placeholders costs microseconds

_OPERATORS = frozenset({"add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "neg", "pos", "invert",
                        "lt", "le", "gt", "ge", "eq", "ne", "and_", "or_",
                        "iadd"})  # (`g += c` in generated code: shapes.infer evaluates it as g + c)


_LIKE = frozenset({"np.zeros_like", "np.ones_like", "np.empty_like"})


def _is_map(e):
    if e.kwargs:
        return False
    if e.op in _OPERATORS:
        return True
    if e.op in ("np.where", "np.clip", ".clip"):
        return len(e.args) == 3
    if e.op in _LIKE:  # np.zeros_like(x): x's shape, its dtype (1.9 s of a 4096x50257 first call)
        return len(e.args) == 1
    if e.op.startswith("np.") and "." not in e.op[3:]:
        u = getattr(np, e.op[3:], None)
        # a generalized ufunc (np.vecdot, np.matvec: a signature) reduces or adds core axes: no map
        return isinstance(u, np.ufunc) and u.nout == 1 and u.nin == len(e.args) and u.signature is None
    return False


def placeholder(dtype, shape):
    """A read-only zero-stride array of ones: what the shape inference evaluates on (shapes.dummy)."""
    return np.broadcast_to(np.ones((), dtype), shape)


def _tiny(v):
    if isinstance(v, np.ndarray):
        return placeholder(v.dtype, (1,) * v.ndim)
    return v


def _product_shape(a, b):
    """np.matmul's result shape for 1-D and 2-D operands, None for other ranks or sizes that disagree."""
    if a.ndim not in (1, 2) or b.ndim not in (1, 2) or a.shape[-1] != b.shape[0]:
        return None
    return a.shape[:-1] + b.shape[1:]


class _NoShortcut(Exception):
    pass


_REDUCTIONS = frozenset(p + n for p in (".", "np.") for n in ("sum", "mean", "max", "min", "prod", "any", "all"))
_REDUCTION_KEYWORDS = frozenset({"axis", "keepdims", "dtype"})


def _applies(e):
    """Whether every node of e is a name, a constant (or a tuple of them), a map, a 1-D/2-D
    product, `.T`, `.dtype` or a reduction along constant axes: then no result shape in it depends
    on a value, and every node can be shortcut."""
    if isinstance(e, (Name, Const)):
        return True
    if isinstance(e, Tuple):
        return all(isinstance(x, Const) for x in e.elts)
    if isinstance(e, Attr):
        return e.attr in ("T", "dtype") and _applies(e.value)
    if not isinstance(e, Call):
        return False
    if e.op in _REDUCTIONS:
        ok = len(e.args) == 1 and all(k in _REDUCTION_KEYWORDS for k, _ in e.kwargs)
    else:
        ok = not e.kwargs and (e.op in ("matmul", "np.matmul", "@T") or _is_map(e))
    return ok and all(_applies(a) for a in e.args) and all(_applies(v) for _, v in e.kwargs)


def shortcut(e, local, run):
    """The result of evaluating expression e (its names bound by `local` to placeholders; `run(code,
    values)` evaluates compiled code) without computing any big array's elements, or None (see the
    module's guarantee)."""
    arrays = [v for v in local.values() if isinstance(v, np.ndarray)]
    if not arrays or max(a.size for a in arrays) < BIG or not isinstance(e, Call) or not _applies(e):
        return None
    try:
        return _value(e, local, run)
    except (_NoShortcut, ValueError, AttributeError, TypeError, KeyError):
        return None


_NODE_CODE = {}


def _value(e, local, run):
    if isinstance(e, Name):
        if e.id not in local:
            raise _NoShortcut()
        return local[e.id]
    if isinstance(e, Const):
        return e.value
    if isinstance(e, Tuple):
        return tuple(x.value for x in e.elts)
    if isinstance(e, Attr):  # x.T, a view, and x.dtype (what _applies lets through): no elements computed
        return getattr(_value(e.value, local, run), e.attr)
    args = [_value(a, local, run) for a in e.args]
    if e.op == "@T":
        return args[0].T
    if e.op in _REDUCTIONS:
        return _reduction(e, args[0], {k: _value(v, local, run) for k, v in e.kwargs}, run)
    if e.op in ("matmul", "np.matmul"):
        if not all(isinstance(a, np.ndarray) for a in args):
            raise _NoShortcut()
        shape = _product_shape(*args)
        if shape is None:
            raise _NoShortcut()  # (numpy's own error, raised by the caller's evaluation)
    else:
        shape = np.broadcast_shapes(*(np.shape(a) for a in args))  # ValueError: no shortcut
        if e.op in ("pow", "np.power") and len(args) == 2 and _computed_integer(e.args[1], args[1]):
            # numpy refuses a negative integer exponent by its value, and a computed operand's stand-in
            # holds ones where the full evaluation holds what it computed: let numpy decide
            raise _NoShortcut()
    r = run(_node_code(e.op, len(args)), {f"_a{i}": _tiny(a) for i, a in enumerate(args)})
    if not isinstance(r, np.ndarray):
        if shape != ():
            raise _NoShortcut()
        return r
    return placeholder(r.dtype, shape)


def _node_code(op, nargs, keywords=()):
    """The compiled code of one call of op alone: its arguments named _a0, _a1, ..., its keywords
    _k_<name>."""
    key = (op, nargs, keywords)
    code = _NODE_CODE.get(key)
    if code is None:
        node = Call(op, tuple(Name(f"_a{i}") for i in range(nargs)), tuple((k, Name(f"_k_{k}")) for k in keywords))
        code = _NODE_CODE[key] = compile(expr_src(node), "<s2sgrad-shape-node>", "eval")
    return code


def _computed_integer(node, v):
    """Whether v, the value of IR node `node`, is a signed integer array or numpy integer whose
    elements the stand-ins do not reproduce (not a name's placeholder or a constant)."""
    return not isinstance(node, (Name, Const)) and isinstance(v, (np.ndarray, np.generic)) and v.dtype.kind == "i"


def _reduction(e, x, kwargs, run):
    """A reduction along constant axes: run on a stand-in whose axes have distinct small lengths
    (2, 3, 4, ...; an axis of length 1 stays 1), then each axis of the result is named by its
    length: the kept axes take back their real lengths."""
    if not isinstance(x, np.ndarray):
        raise _NoShortcut()
    proxy = tuple(1 if d == 1 else 2 + i for i, d in enumerate(x.shape))
    back = {p: d for p, d in zip(proxy, x.shape)}
    if x.size <= math.prod(proxy):
        # x itself is no bigger than the stand-in (a size-0 axis, whose max numpy refuses; many short
        # axes, where the stand-in's 2*3*4*... elements would outgrow x): reduce x itself, exactly
        proxy, back = x.shape, None
    r = run(_node_code(e.op, 1, tuple(kwargs)),
            {"_a0": placeholder(x.dtype, proxy), **{f"_k_{k}": v for k, v in kwargs.items()}})
    if not isinstance(r, np.ndarray):
        return r  # every axis reduced: numpy's scalar
    shape = r.shape if back is None else tuple(1 if n == 1 else back[n] for n in r.shape)
    return placeholder(r.dtype, shape)


__all__ = ["shortcut", "placeholder", "BIG"]
