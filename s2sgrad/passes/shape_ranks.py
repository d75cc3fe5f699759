"""Arrays whose shape is known only at run time but whose rank is not (passes/shapes.py):
`np.zeros((T, S))` with S the length of a list built at run time has two axes, so `alpha[t - 1, s]`
of it is one number -- not a view that a later write into alpha would change (frontend/aliasing's
deferred refusal asks).

Guarantee: a rank is given only where numpy's own rule fixes it (a constructor's shape tuple of
ints, one int for one axis), and an element only where the index has one int part per axis."""
from __future__ import annotations

import numpy as np

from ..ir import Call, Const, Name, Tuple
from .abstract import Arr, Known, PyNum, runtime_int


def _is_int(v) -> bool:
    return isinstance(v, Known) and type(v.value) is int or runtime_int(v)


def element_of(e, vals) -> bool:
    """Whether e indexes one element of an array whose shape is unknown but its rank is not: as
    many parts as the rank, each a name or constant holding an int (or an int expression of them)."""
    if not (isinstance(e, Call) and e.op == "getitem" and isinstance(e.args[0], Name)):
        return False
    base = vals.get(e.args[0].id)
    parts = e.args[1].elts if isinstance(e.args[1], Tuple) else (e.args[1],)
    return isinstance(base, Arr) and base.rank == len(parts) and all(_int_part(p, vals) for p in parts)


def _int_part(p, vals) -> bool:
    if isinstance(p, Const):
        return type(p.value) is int
    if isinstance(p, Name):
        return _is_int(vals.get(p.id))
    return isinstance(p, Call) and p.op in ("add", "sub", "mul", "floordiv", "mod", "neg") and \
        all(_int_part(a, vals) for a in p.args)  # (t - 1, 2 * s + 1)


_FILLED = {"np.zeros": 1, "np.ones": 1, "np.empty": 1, "np.full": 2}  # constructors: their arguments but dtype


def sized_at_run_time(e, vals):
    """np.zeros((T, S)) with S known at run time: the shape unknown, its length the tuple's (a
    number for one), the dtype float64 (np.full's: of a float fill value) unless given;
    Arr(None, None) for anything else."""
    shape = e.args[0] if e.args else None
    if e.op not in _FILLED or shape is None or len(e.args) > _FILLED[e.op] or e.kwargs:
        return Arr(None, None)
    dtype = np.dtype(np.float64)
    if e.op == "np.full":
        fill = e.args[1] if len(e.args) > 1 else None
        v = vals.get(fill.id) if isinstance(fill, Name) else None
        if not (isinstance(fill, Const) and type(fill.value) is float or v == PyNum(float)):
            dtype = None
    if isinstance(shape, Tuple) and all(_int_part(p, vals) for p in shape.elts):
        return Arr(None, dtype, ndim=len(shape.elts))
    return Arr(None, dtype, ndim=1) if _int_part(shape, vals) else Arr(None, None)
