"""The abstract values of the shape inference (passes/shapes.py): `Known(v)` a Python value known at
compile time, `PyNum(type)` a Python number whose value is not, `Arr(shape, dtype, scalar, ndim)` an
array or numpy scalar (shape None when unknown, ndim then its length where that is known), `ListOf(elem)` a list built at run time, `UNKNOWN`; `abstract_of` a concrete value's abstract value,
`join` two abstract values' least upper bound."""
from __future__ import annotations

import enum
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
    ndim: Optional[int] = None  # where the shape is unknown but its length is (np.zeros((T, S)), S known at run time)

    @property
    def rank(self) -> Optional[int]:
        return len(self.shape) if self.shape is not None else self.ndim


@dataclass(frozen=True)
class ListOf:
    """A list built at run time (lists.py): its elements' joined abstract value, and its length where
    it is known when compiling (`[]`, then one append per pass of a loop over a range of known
    length: passes/shapes.py), else None."""
    elem: Any
    length: Optional[int] = None


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


def abstract_of(v):
    """The abstract value of a concrete argument (its signature)."""
    if isinstance(v, np.generic):
        return Arr((), v.dtype, scalar=True)
    if isinstance(v, bool):
        return PyNum(bool)
    if isinstance(v, (int, float, complex)):
        return PyNum(type(v))
    if isinstance(v, np.ndarray):
        return Arr(v.shape, v.dtype)
    if isinstance(v, (str, type(None), enum.Enum)):  # (an Enum member: a constant, compared and used as a key)
        return Known(v)
    if isinstance(v, tuple) and all(isinstance(x, (int, float, str, type(None))) for x in v):
        return Known(v)
    if isinstance(v, list) and v and len({type(x) for x in v}) == 1 and type(v[0]) in (int, float, complex):
        return ListOf(PyNum(type(v[0])))  # indices = [1.38 + 0j, 2.1 + 0.01j]: read item by item at run time
    return UNKNOWN


def join(a, b):
    """The least abstract value both a and b are (a branch join, a loop's fixed point step)."""
    if a is None:
        return b
    if b is None or a == b:
        return a
    if isinstance(a, ListOf) and isinstance(b, ListOf):
        return ListOf(join(a.elem, b.elem), a.length if a.length == b.length else None)
    if isinstance(a, (Known, PyNum)) and isinstance(b, (Known, PyNum)):
        ta = type(a.value) if isinstance(a, Known) else a.type
        tb = type(b.value) if isinstance(b, Known) else b.type
        if ta is tb and ta in (int, float, bool):
            return PyNum(ta)
        if {ta, tb} <= {int, float}:
            return PyNum(float)
        return UNKNOWN
    if isinstance(a, Arr) and isinstance(b, (Known, PyNum)):
        a, b = b, a
    if isinstance(a, (Known, PyNum)) and isinstance(b, Arr) and b.shape == () and b.dtype is not None:
        ta = type(a.value) if isinstance(a, Known) else a.type
        if ta in (int, float, bool):  # a Python number and a numpy scalar: same shape, numpy's dtype
            return Arr((), b.dtype, scalar=b.scalar)
        return UNKNOWN
    if isinstance(a, Arr) and isinstance(b, Arr):
        # (dtypes compared only when both are known: numpy reads None as float64, dtype('float64') == None)
        same_dtype = a.dtype is not None and b.dtype is not None and a.dtype == b.dtype
        return Arr(a.shape if a.shape == b.shape else None, a.dtype if same_dtype else None,
                   a.scalar and b.scalar, a.rank if a.shape != b.shape and a.rank == b.rank else None)
    return UNKNOWN
