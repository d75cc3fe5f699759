"""The abstract values of the shape inference (passes/shapes.py): `Known(v)` a Python value known at
compile time, `PyNum(type)` a Python number whose value is not, `Arr(shape, dtype, scalar)` an array
or numpy scalar (shape None when unknown), `ListOf(elem)` a list built at run time, `UNKNOWN`."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

import numpy as np


@dataclass(frozen=True)
class Known:
    value: Any

    def __eq__(self, other):
        return isinstance(other, Known) and type(self.value) is type(other.value) and _same(self.value, other.value)

    def __hash__(self):
        return 0


def _same(a, b):
    try:
        return bool(a == b)
    except Exception:
        return a is b


@dataclass(frozen=True)
class PyNum:
    type: type


@dataclass(frozen=True)
class Arr:
    shape: Optional[tuple]
    dtype: Any
    scalar: bool = False  # a numpy scalar (np.float64), not a 0-d array


@dataclass(frozen=True)
class ListOf:
    """A list built at run time (lists.py): its elements' joined abstract value, its length unknown."""
    elem: Any


class _Unknown:
    def __repr__(self):
        return "UNKNOWN"


UNKNOWN = _Unknown()


def runtime_int(v):
    """Whether abstract value v is an int or bool known only at run time (a Python one, or a numpy
    scalar: np.argmax's result, np.int64(...))."""
    if isinstance(v, PyNum):
        return v.type in (int, bool)
    return isinstance(v, Arr) and v.shape == () and v.dtype is not None and np.dtype(v.dtype).kind in "iub"
