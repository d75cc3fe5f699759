"""Arrays whose shape is known only at run time but whose rank is not (passes/shapes.py):
`np.zeros((T, S))` with S the length of a list built at run time has two axes, so `alpha[t - 1, s]`
of it is one number -- not a view that a later write into alpha would change (frontend/aliasing's
deferred refusal asks).  And lists built at run time whose length is known when compiling: `[]`,
then one append in each pass of a loop over a range of known length (a comprehension over
range(n + 1)), so np.stack of it has a shape.

Guarantee: a rank is given only where numpy's own rule fixes it (a constructor's shape tuple of
ints, one int for one axis; a stack of a list whose elements have one rank; a slice's, one axis
less for each int part), an element only where the index has one int part per axis, and a list's
length only where the loop's body appends to it in exactly one statement of its own level, with no
break or continue anywhere in it."""
from __future__ import annotations

import numpy as np

from ..ir import Assign, Break, Call, Const, Continue, Name, Slice, Tuple, walk
from .abstract import Arr, Known, ListOf, PyNum, runtime_int


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


def sliced_rank(e, vals):
    """The rank of `a[i:j]`, `a[::-1]`, `a[t, lo:hi]` of an array whose rank is known (its shape or
    the bounds not): the rank less one for each int part; None for any other index (arrays, masks,
    None, Ellipsis, fewer parts than axes are fine: the rest are whole axes)."""
    if not (isinstance(e, Call) and e.op == "getitem" and isinstance(e.args[0], Name)):
        return None
    base = vals.get(e.args[0].id)
    parts = e.args[1].elts if isinstance(e.args[1], Tuple) else (e.args[1],)
    if not (isinstance(base, Arr) and base.rank is not None and len(parts) <= base.rank):
        return None
    if not all(isinstance(p, Slice) or _int_part(p, vals) for p in parts):
        return None
    return base.rank - sum(1 for p in parts if not isinstance(p, Slice))


def masked_rank(e, vals):
    """The rank of `a[mask]` (a boolean mask of known rank k over a's first k axes: one axis for them)
    and of `K[np.ix_(rows, cols)]` (the open mesh's n axes, `ix_part(i, n, ...)` parts, then a's
    axes left), where the lengths are known at run time only; None for any other index."""
    if not (isinstance(e, Call) and e.op == "getitem" and isinstance(e.args[0], Name)):
        return None
    base = vals.get(e.args[0].id)
    if not (isinstance(base, Arr) and base.rank is not None):
        return None
    index = e.args[1]
    if isinstance(index, Name):
        m = vals.get(index.id)
        if isinstance(m, Arr) and m.dtype == np.bool_ and m.rank is not None and 0 < m.rank <= base.rank:
            return base.rank - m.rank + 1
        return None
    parts = index.elts if isinstance(index, Tuple) else ()
    meshes = {p.args[1].value for p in parts if isinstance(p, Call) and p.op == "ix_part" and len(p.args) >= 2
              and isinstance(p.args[1], Const) and type(p.args[1].value) is int}
    if parts and len(meshes) == 1 and all(isinstance(p, Call) and p.op == "ix_part" for p in parts) \
            and len(parts) == next(iter(meshes)) <= base.rank:
        return base.rank  # (the mesh's n axes, n parts)
    return None


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


def counted_appends(loop, env, trip) -> dict:
    """{list name: its length after the loop} for the lists of known length that the loop's body
    appends to once per pass (trip: the loop's number of passes, None when not known)."""
    if trip is None:
        return {}
    body = list(walk(loop.body))
    if any(isinstance(s, (Break, Continue)) for s in body):
        return {}
    out = {}
    for n, v in env.items():
        if not (isinstance(v, ListOf) and v.length is not None):
            continue
        writes = [s for s in body if isinstance(s, Assign) and n in s.targets]
        top = [s for s in loop.body if s in writes]
        if len(writes) == 1 and len(top) == 1 and isinstance(top[0].value, Call) \
                and top[0].value.op == "list_append" and len(top[0].targets) == 1:
            out[n] = v.length + trip
    return out


def stacked(e, lst):
    """The abstract array np.stack / np.array / np.concatenate / np.vstack / np.hstack /
    np.column_stack makes of a list built at run time: its shape where the list's length and its
    elements' shape are known, its rank where the elements' rank is, its dtype where theirs is."""
    elem = lst.elem
    if isinstance(elem, PyNum) and elem.type in (int, float) and e.op in ("np.array", "np.asarray") \
            and len(e.args) == 1 and not e.kwargs:
        return Arr(None if lst.length is None else (lst.length,), np.dtype(elem.type), ndim=1)
    if not isinstance(elem, Arr) or elem.scalar and e.op != "np.stack":
        return Arr(None, None)
    dtype = elem.dtype
    rank = elem.rank
    if rank is None or len(e.args) > 1 or set(k for k, _ in e.kwargs) - {"axis"} \
            or e.op in ("np.array", "np.asarray") and e.kwargs:
        return Arr(None, dtype)
    axis = dict(e.kwargs).get("axis", Const(0))
    if not (isinstance(axis, Const) and type(axis.value) is int):
        return Arr(None, dtype)
    axis = axis.value
    n, shape = lst.length, elem.shape
    if e.op in ("np.stack", "np.array", "np.asarray"):
        axis = axis + rank + 1 if axis < 0 else axis
        if not 0 <= axis <= rank:
            return Arr(None, dtype)
        out = None if n is None or shape is None else shape[:axis] + (n,) + shape[axis:]
        return Arr(out, dtype, ndim=rank + 1)
    if e.op == "np.vstack" and rank == 1:
        return Arr(None if n is None or shape is None else (n,) + shape, dtype, ndim=2)
    if e.op == "np.column_stack" and rank == 1:  # (vectors as the columns)
        return Arr(None if n is None or shape is None else shape + (n,), dtype, ndim=2)
    if e.op == "np.column_stack" and (rank != 2 or e.kwargs):
        return Arr(None, dtype)
    if e.op == "np.hstack" and rank == 1 or e.op == "np.vstack" and "axis" not in dict(e.kwargs):
        axis = 0
    elif e.op in ("np.hstack", "np.column_stack"):
        axis = 1
    if rank == 0:
        return Arr(None, dtype)
    axis = axis + rank if axis < 0 else axis
    if not 0 <= axis < rank:
        return Arr(None, dtype)
    out = None if n is None or shape is None else shape[:axis] + (n * shape[axis],) + shape[axis + 1:]
    return Arr(out, dtype, ndim=rank)
