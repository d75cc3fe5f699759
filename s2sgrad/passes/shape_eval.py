"""Evaluating an expression of the shape inference on stand-ins (passes/shapes.py): `dummy` (a
value standing for an abstract one: a constant, a number of the type, a read-only array of ones of
the shape), `_run` (eval of a compiled expression that leaves numpy's generator and warnings as
they were), and the dtypes of results whose shape is lost (`_unknown_array`, `_dtype_only`,
`_probed_dtype`: a contraction's is its inputs' common type, a moved or reshaped array's its own).

Guarantee: a dtype given here is the one numpy gives the result (numpy's result dtypes follow the
inputs' types, not their values: NEP 50); None where it cannot be told.
"""
from __future__ import annotations

import copy
import warnings

import numpy as np

from ..ir import Call, Name, expr_names, expr_src
from ..rules.custom import CUSTOM
from .abstract import UNKNOWN, Arr, Known, PyNum
from .shape_ranks import element_of, sliced_rank
from .shape_shortcut import placeholder

def dummy(v, index_position=False):
    if isinstance(v, Known):
        return copy.deepcopy(v.value) if type(v.value) is dict else v.value  # (evaluating may change it)
    if isinstance(v, PyNum):
        return v.type(0 if index_position else 1)
    if isinstance(v, Arr) and v.shape is not None and v.dtype is not None:
        if v.scalar:
            return np.dtype(v.dtype).type(1)
        key = (tuple(v.shape), v.dtype)
        d = _DUMMIES.get(key)
        if d is None:  # read-only zero-stride placeholders: one per shape and dtype, shared
            d = _DUMMIES[key] = placeholder(v.dtype, v.shape)
        return d
    raise _Give_up()


_DUMMIES = {}


class _Give_up(Exception):
    pass


_CODE_CACHE = {}


def _compile(e):
    src = expr_src(e)
    code = _CODE_CACHE.get(src)
    if code is None:
        code = _CODE_CACHE[src] = compile(src, "<s2sgrad-shape>", "eval")
    return code


def _index_names(e):
    return set(expr_names(e.args[1])) if isinstance(e, Call) and e.op == "getitem" else set()


def _run(code, namespace, local):
    # a random draw evaluated on placeholders must leave numpy's global generator as it was: the
    # user's next draw (and the compiled function's first run) would be another one
    # (a user's rule may draw too: dropout's fwd)
    state = np.random.get_state() if "random" in code.co_names or any(n in CUSTOM for n in code.co_names) else None
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return eval(code, namespace, local)
    finally:
        if state is not None:
            np.random.set_state(state)


def _dtype_of(vals, e):
    if isinstance(e, Name) and isinstance(vals.get(e.id), Arr):
        return vals[e.id].dtype
    return None


def _stand_in_dtype(e, vals, namespace, index_positions=True):
    """The dtype of e's result run on stand-ins (one element where a shape is unknown), or None
    where they do not fit: numpy's result dtypes follow the inputs' types, not their values (NEP 50).
    `index_positions`: a number read as an index stands in as 0 (else 1)."""
    index = _index_names(e) if index_positions else ()
    try:
        local = {n: np.ones(1, v.dtype) if isinstance(v, Arr) and v.shape is None else dummy(v, n in index)
                 for n, v in vals.items()}
        return np.asarray(_run(_compile(e), namespace, local)).dtype
    except Exception:  # noqa: BLE001 - no dtype to tell
        return None


def _probed_dtype(e, vals, namespace):
    """The stand-ins' dtype (`_stand_in_dtype`), or a contraction's inputs' common type where the
    stand-ins' shapes do not fit it; None otherwise."""
    dtype = _stand_in_dtype(e, vals, namespace)
    if dtype is None:
        arrays = [v.dtype for v in vals.values() if isinstance(v, Arr)]
        if e.op in _CONTRACTIONS and arrays and all(d is not None for d in arrays):
            return np.result_type(*arrays)
    return dtype


# products whose result dtype is their array inputs' common type (the shapes aside)
_CONTRACTIONS = frozenset({"np.tensordot", "np.dot", "matmul", "np.matmul", "np.inner", "np.outer", "np.kron"})


def _dtype_only(e, vals, namespace):
    """A call over arrays of unknown shape: Arr(None, the dtype numpy gives on one-element
    stand-ins, when they run), so a later whole reduction is still known to be a number."""
    if not all(isinstance(v, (Arr, PyNum, Known)) and (not isinstance(v, Arr) or v.dtype is not None)
               for v in vals.values()):
        return _unknown_array(e, vals)
    first = vals.get(e.args[0].id) if e.args and isinstance(e.args[0], Name) else None
    if e.op in _SAME_DTYPE and isinstance(first, Arr):  # (a one-element stand-in may not take the axes)
        return Arr(None, first.dtype)
    if e.op in _CONTRACTIONS:
        return Arr(None, _probed_dtype(e, vals, namespace))
    dtype = _stand_in_dtype(e, vals, namespace, index_positions=False)
    return Arr(None, dtype) if dtype is not None else _unknown_array(e, vals)


# rows whose result has their first argument's dtype, whatever the shapes (moved, reshaped, flipped)
_SAME_DTYPE = frozenset({"np.moveaxis", "np.swapaxes", "np.transpose", ".transpose", ".reshape", "np.reshape",
                         "np.flip", "np.roll", "np.squeeze", ".squeeze", "np.expand_dims", ".copy", "np.copy",
                         "np.ravel", ".ravel", ".flatten", "@T", "np.rot90", "np.broadcast_to", "np.tile",
                         "np.repeat", ".repeat", "np.flipud", "np.fliplr"})


def _unknown_array(e, vals):
    if any(isinstance(v, Arr) for v in vals.values()):
        if element_of(e, vals):  # alpha[t - 1, s] of a table sized at run time: one number
            return Arr((), vals[e.args[0].id].dtype, scalar=True)
        rank = sliced_rank(e, vals)
        if rank:  # past[::-1] of a window sized at run time: still an array of that rank
            return Arr(None, vals[e.args[0].id].dtype, ndim=rank)
        if isinstance(e, Call) and e.op == "getitem" and isinstance(e.args[0], Name) \
                and isinstance(vals.get(e.args[0].id), Arr):
            # psi[tuple(idx)] of an index known at run time: the shape unknown, the dtype psi's (the
            # complex rows must know a complex value where it is one)
            return Arr(None, vals[e.args[0].id].dtype)
        return Arr(None, _transform_dtype(e, vals))
    return UNKNOWN


def _transform_dtype(e, vals):
    """The result dtype of an np.fft transform whose options are known only at run time (`n=n_fft`):
    it follows from the array's dtype alone, and the complex rows (rules/fft.py) need to know that
    the result is complex.  None for any other call."""
    if not (isinstance(e, Call) and e.args and isinstance(e.args[0], Name)):
        return None
    from ..rules.fft import result_dtype
    v = vals.get(e.args[0].id)
    return result_dtype(e.op, v.dtype if isinstance(v, Arr) else None)
