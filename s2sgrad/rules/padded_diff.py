"""`np.diff(x, prepend=p, append=a)` as the np.diff of x with p and a joined at its ends: numpy's
own definition (p and a are broadcast to x's shape with one position along the axis), written so
that p and a are differentiated too -- `0.0 * np.ones_like(x[..., :1])` is the padding of a
scalar p along the last axis, an array p of x's shape but for that axis is taken as it is.

Guarantee: the value is numpy's wherever numpy accepts the call; the axis must be a constant
(refused at the call otherwise)."""
from __future__ import annotations

from ..ir import Call, Const, Name, Slice, Tuple

_PADS = ("prepend", "append")


def padded_diff(args, kwargs, refuse, bind):
    """(args, kwargs) of np.diff with any prepend=/append= written into the differenced array."""
    given = {k: v for k, v in kwargs if k in _PADS and not (isinstance(v, Const) and v.value is None)}
    kwargs = [(k, v) for k, v in kwargs if k not in _PADS]
    n = dict(kwargs).get("n", args[1] if len(args) > 1 else Const(1))
    if not given or not args or n == Const(0):  # (n=0: numpy returns x as it is, unpadded)
        return args, kwargs
    axis = dict(kwargs).get("axis", args[2] if len(args) > 2 else Const(-1))
    if not (isinstance(axis, Const) and type(axis.value) is int):
        raise refuse("np.diff with prepend= or append= along an axis computed at run time")
    x = args[0]
    if bind is not None and not isinstance(x, (Const, Name)):
        x = bind(x, "x")
    a = axis.value
    whole = Slice(None, None, None)
    first = Slice(None, Const(1), None)
    index = (whole,) * a + (first,) if a >= 0 else (Const(Ellipsis), first) + (whole,) * (-a - 1)
    edge = Call("np.ones_like", (Call("getitem", (x, Tuple(index) if len(index) > 1 else index[0])),))
    # (np.asarray: numpy pads with an array of the padding, so a float64 one makes a float32 x's
    # differences float64, as a Python float 0.1 times x's ones would not)
    parts = [Call("mul", (Call("np.asarray", (given[k],)), edge)) if k in given else x
             for k in ("prepend", None, "append") if k is None or k in given]
    joined = Call("np.concatenate", (Tuple(tuple(parts)),), (("axis", axis),))
    return [bind(joined, "padded") if bind is not None else joined] + list(args[1:]), kwargs
