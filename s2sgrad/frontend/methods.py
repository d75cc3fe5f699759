"""Methods: `self.forward(X)`, `self.W1`, `@property`, `@staticmethod`, inherited methods.

A bound method is differentiated as its function with `self` as an argument; `self` is an object
argument whose attributes are read when compiling (passes/containers.py flattens it like a dict of
arrays), so `self.W1` becomes the leaf variable `W1`.  Calls of other methods on `self` are inlined
(the method found on the class along its MRO, exactly as Python would find it), `@property` getters
are inlined where the attribute is read, and `@staticmethod`s are inlined without `self`.

Guarantee: a call or attribute on `self` resolves to the same function Python would call on an
instance of the class; anything else on `self` (a classmethod, a descriptor, an attribute set by
the method) is left to the container pass, which refuses what it cannot read.
"""
from __future__ import annotations

import inspect
import types

import libcst as cst


def _self_name(lowerer, node):
    """The class whose method is being lowered, when `node` is that method's first parameter."""
    cls = getattr(lowerer, "cls", None)
    if cls is None or not isinstance(node, cst.Name):
        return None
    first = getattr(lowerer, "first_param", None)
    return cls if node.value == first else None


def _static_attr(lowerer, e: cst.Attribute):
    """What the class holds under `self.name` (found as Python finds it, along the MRO), or None."""
    cls = _self_name(lowerer, e.value)
    if cls is None:
        return None
    try:
        return inspect.getattr_static(cls, e.attr.value)
    except AttributeError:
        return None


def method_of(lowerer, func: cst.Attribute):
    """(function, pass self?) for `self.name(...)`, or None when it is not a method of the class."""
    raw = _static_attr(lowerer, func)
    if isinstance(raw, staticmethod):
        return raw.__func__, False
    if isinstance(raw, types.FunctionType):
        return raw, True
    return None


def property_of(lowerer, e: cst.Attribute):
    """The getter of `self.name` when `name` is a @property of the class (None otherwise)."""
    raw = _static_attr(lowerer, e)
    return raw.fget if isinstance(raw, property) and isinstance(raw.fget, types.FunctionType) else None
