"""Run-time check of a user's reverse rule (markers.custom_vjp): the generated reverse sweep passes
what f_bwd returned through `cotangents_of`, which accepts exactly one cotangent per argument of f,
each of its argument's shape (None: zeros of the argument's shape and floating dtype, a plain 0.0 for
a Python number) -- returning the one cotangent itself for a function of
one argument -- and raises an ArgumentError naming f otherwise (the
generated code's source map adds the user's line)."""
from __future__ import annotations

import numpy as np

from .errors import ArgumentError
from .runtime import NAMESPACE


def cotangents_of(cts, name, args, where=""):
    """The cotangents a user's bwd returned, checked: a tuple of one per argument, each of its
    argument's shape (None: zero); `where` is the call's file:line, which the messages name."""
    at = f"{where}: " if where else ""
    if not isinstance(cts, (tuple, list)):
        raise ArgumentError(f"{at}the reverse rule of {name} returned {type(cts).__name__}: it must return a tuple "
                            f"with one cotangent per argument of {name} ({len(args)})")
    if len(cts) != len(args):
        raise ArgumentError(f"{at}the reverse rule of {name} returned {len(cts)} cotangents for the {len(args)} "
                            f"arguments of {name}: return one per argument (None for one without a derivative)")
    out = []
    for i, (c, a) in enumerate(zip(cts, args)):
        if c is None:
            out.append(_zero_like(a))
            continue
        if np.shape(c) != np.shape(a):
            raise ArgumentError(f"{at}the reverse rule of {name} returned a cotangent of shape {np.shape(c)} for "
                                f"argument {i + 1}, of shape {np.shape(a)}: each cotangent has its argument's shape")
        out.append(c)
    return out[0] if len(out) == 1 else tuple(out)  # one argument: its cotangent itself


def _zero_like(a):
    """The zero cotangent of one argument: an array argument's gradient is an array of its shape (a
    caller adding it into its own buffer, or reading its shape, must not get a bare number)."""
    if isinstance(a, (np.ndarray, np.generic)):
        dtype = a.dtype if a.dtype.kind in "fc" else np.dtype(np.float64)
        return np.zeros(a.shape, dtype=dtype) if isinstance(a, np.ndarray) else dtype.type(0)
    return 0.0


NAMES = {"cotangents_of": cotangents_of}
NAMESPACE.update(NAMES)
