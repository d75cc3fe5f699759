"""Shapes that depend on values known only at run time (for passes/shapes.evaluate).

The shape inference runs numpy on placeholders; an int or bool known only at run time gets a
placeholder value, and a shape computed from it is one case, not the shape.  `size_reads(e)` names
what e reads where a value can decide a shape (arguments of calls that are not elementwise: an
axis, a size, keepdims, a shape tuple; slice bounds); evaluate gives an unknown shape when one of
them is such an int or bool (abstract.runtime_int).  `scalar_reductions` keeps what is still known
of an array of unknown shape: a reduction of all of it is a number.  Taken as
exact, x / np.sum(x, axis=k, keepdims=True) once summed its adjoint along the wrong axis for k = 0
(a silent wrong gradient); probing a second placeholder value is not enough ((3, 1, 1) has one
shape for axes 1 and 2).
"""
from __future__ import annotations

import numpy as np

from ..ir import Call, Const, ListExpr, Name, Slice, Tuple, expr_names, exprs_of, walk
from .abstract import Arr
from .shape_shortcut import _is_map


def size_reads(e, out=None):
    """The names e reads where a value can decide a shape: arguments of calls that are not
    elementwise (an axis, a size, keepdims, a shape tuple) and slice bounds; not the operands of
    elementwise operations, nor integer indices (x[i] drops the axis whatever i is)."""
    out = set() if out is None else out
    if isinstance(e, Call) and e.op == "getitem":
        _operand(e.args[0], out)
        for part in (e.args[1].elts if isinstance(e.args[1], Tuple) else (e.args[1],)):
            if isinstance(part, Slice):
                out.update(expr_names(part))
            elif not isinstance(part, Name):
                size_reads(part, out)
    elif isinstance(e, Call) and _is_map(e):
        for a in e.args:
            _operand(a, out)
    elif isinstance(e, Call):
        for a in tuple(e.args) + tuple(v for _, v in e.kwargs):
            out.add(a.id) if isinstance(a, Name) else size_reads(a, out)
    elif isinstance(e, (Tuple, ListExpr)):
        for a in e.elts:
            out.add(a.id) if isinstance(a, Name) else size_reads(a, out)
    return out



def sized_names(body) -> set:
    """Every name a statement of body reads where a value can decide a shape (`size_reads`)."""
    out: set = set()
    for st in walk(body):
        for e in exprs_of(st):
            size_reads(e, out)
    return out

def _operand(a, out):
    if not isinstance(a, (Name, Const)):
        size_reads(a, out)


# --------------------------------------------------------- arrays of unknown shape: what is still known
_WHOLE = {"np.sum": "sum", ".sum": "sum", "np.mean": "mean", ".mean": "mean", "np.max": "max", ".max": "max",
          "np.min": "min", ".min": "min", "np.prod": "prod", ".prod": "prod"}


def whole_reduction(e, vals):
    """The numpy scalar a reduction over a whole array of known dtype (its shape unknown) gives."""
    if isinstance(e, Call) and e.op in _WHOLE and len(e.args) == 1 and not e.kwargs and isinstance(e.args[0], Name):
        v = vals.get(e.args[0].id)
        if isinstance(v, Arr) and v.dtype is not None:
            return Arr((), getattr(np, _WHOLE[e.op])(np.ones(1, v.dtype)).dtype, scalar=True)
    return None


def scalar_reductions(e, vals, extra):
    """e with each whole reduction of an array of unknown shape replaced by a name whose abstract
    value (in `extra`) is the number it gives."""
    whole = whole_reduction(e, vals)
    if whole is not None:
        name = f"_whole{len(extra)}"
        extra[name] = whole
        return Name(name)
    if isinstance(e, Call):
        return Call(e.op, tuple(scalar_reductions(a, vals, extra) for a in e.args), e.kwargs)
    return e
