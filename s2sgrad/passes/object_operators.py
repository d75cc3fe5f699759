"""Python's operators on objects of user classes: `a + b`, `dt * v`, `-v`, `abs(v)`, `a < b` where
an operand is an object whose class defines the operator's method (`__add__`, `__rmul__`,
`__neg__`, `__abs__`, `__lt__`, ...): the method Python would call is inlined (passes/objects.py)
with its operands, resolved when compiling from the operands' classes, which are part of the
signature.

Guarantees, Python's data model as it applies when every operand's class is known:
- `a OP b` runs `a.__op__(b)` where a is an object whose class defines it; otherwise
  `b.__rop__(a)` where b is one whose class defines the reflected method, a being a number or a
  0-d array, whose own operator gives way to it as Python does (an array of more dimensions, on
  which numpy would call the method per element, is refused: when compiling where it is a constant,
  else when it runs); a comparison's reflection is its mirror (`a < b` is `b > a`), tried first
  where b's class is a subclass of a's, as CPython does;
- where that order is not what Python does, or not knowable when compiling, it is refused at the
  user's line: a method that may return NotImplemented (the next method would run), a right
  operand of a subclass that overrides the reflected method (Python calls it first), a class
  with an in-place method (`__iadd__`: `v += w` would run it, and `v = v + w` reads the same here),
  and a class defining neither method;
- `==`/`!=` on objects are left to the refusal of objects as operands (a dataclass's generated
  `__eq__` has no source to read).
"""
from __future__ import annotations

import types

import numpy as np

from .. import ir
from ..errors import UnsupportedSyntaxError
from ..ir import Call, Const, Name
from ..runtime import array_left_message
from .ctree import CTree
from .normalize import _fresh

_BINARY = {"add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul", "and_", "or_"}
_MIRROR = {"lt": "gt", "le": "ge", "gt": "lt", "ge": "le"}
_UNARY = {"neg": "__neg__", "pos": "__pos__", "invert": "__invert__", "abs": "__abs__", "np.abs": "__abs__"}
_SPELLED = {"neg": "'-'", "pos": "'+'", "invert": "'~'", "abs": "abs()", "np.abs": "np.abs()"}
_SYMBOL = {"add": "+", "sub": "-", "mul": "*", "truediv": "/", "floordiv": "//", "mod": "%", "pow": "**",
           "matmul": "@", "and_": "&", "or_": "|", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}


def _is_object(tree):
    return isinstance(tree, CTree) and tree.kind == "object" and tree.cls is not None


def _method(cls, name, loc):
    """The plain function cls defines (or inherits) under name; None where it defines none."""
    from .objects import _static
    raw = _static(cls, name)
    if not isinstance(raw, types.FunctionType):
        return None
    if "NotImplemented" in raw.__code__.co_names:
        raise UnsupportedSyntaxError(f"'{cls.__name__}.{name}' may return NotImplemented (Python would then try "
                                     "the other operand's method, which s2sgrad cannot follow when compiling): "
                                     "return a value on every path, or call a method by name", loc)
    return raw


def _run(flat, receiver, name, args, loc, written):
    """receiver.name(*args), the receiver and arguments already evaluated (each operand is evaluated
    once: evaluated again after an inlined method, its own methods would be inlined again); written,
    the operand as the user wrote it (what a refusal of a method changing it names)."""
    from .objects import _inline, _refuse_hidden
    _refuse_hidden(receiver, name, loc)
    return _inline(flat, receiver, name, tuple(args), (), loc, held_by=written)


def _scalar_left(flat, value, symbol, cls, loc):
    """value (the left operand of a reflected method) as an operand numpy's own operator gives way
    for: a number or a 0-d array.  An array of 1 or more dimensions would apply the object's
    method to each element (an array of objects): refused when compiling where it is a constant,
    else checked when it runs (runtime.check_scalar_operand)."""
    if isinstance(value, Const):
        if isinstance(value.value, (np.ndarray, list, tuple)) and np.ndim(value.value) > 0:
            raise UnsupportedSyntaxError(array_left_message(symbol, np.shape(value.value), cls.__name__), loc)
        return value
    if not isinstance(value, Name):
        held = _fresh("operand", flat.taken)
        flat.taken.add(held)
        flat.pre.append(ir.Assign((held,), value, loc))
        value = Name(held)
    flat.pre.append(ir.ExprStmt(Call("check_scalar_operand", (value, Const(symbol), Const(cls.__name__))), loc))
    return value


def operator(flat, e, loc):
    """The value of the operator call e where an operand is an object of a user class; None where
    none is, or where e is no operator."""
    if e.kwargs or not (e.op in _UNARY or e.op in _BINARY or e.op in _MIRROR):
        return None
    trees = [flat.ev(a, loc) for a in e.args]
    if not any(_is_object(t) for t in trees):
        return None
    if e.op in _UNARY:
        if len(e.args) == 1 and _method(trees[0].cls, _UNARY[e.op], loc) is not None:
            return _run(flat, trees[0], _UNARY[e.op], (), loc, e.args[0])
        if len(e.args) == 1:
            raise UnsupportedSyntaxError(f"{_SPELLED[e.op]} of a {trees[0].cls.__name__} object: its class defines "
                                         f"no {_UNARY[e.op]} that s2sgrad can inline", loc)
        return None  # (refused as an operand, objects.refuse_as_operand)
    (left, right), name = trees, e.op.rstrip("_")
    forward = f"__{name}__"
    reflected = f"__{_MIRROR[e.op]}__" if e.op in _MIRROR else f"__r{name}__"
    symbol = _SYMBOL[e.op]
    if e.op in _MIRROR and _is_object(left) and _is_object(right) and right.cls is not left.cls \
            and issubclass(right.cls, left.cls) and _method(right.cls, reflected, loc) is not None:
        # (a comparison tries the right operand's reflection first where its class is a subclass of the
        # left's, whether or not it overrides it)
        return _run(flat, right, reflected, (left,), loc, e.args[1])
    for tree in (left, right):
        if e.op in _BINARY and _is_object(tree) and _method(tree.cls, f"__i{name}__", loc) is not None:
            raise UnsupportedSyntaxError(f"'{symbol}' on a {tree.cls.__name__} object, whose class defines "
                                         f"__i{name}__ (an augmented assignment would run it in place): s2sgrad "
                                         f"reads 'v {symbol}= w' as 'v = v {symbol} w'; remove __i{name}__", loc)
    if e.op in _BINARY and _is_object(left) and _is_object(right) and right.cls is not left.cls \
            and issubclass(right.cls, left.cls) and _method(right.cls, reflected, loc) is not _method(left.cls, reflected, loc):
        raise UnsupportedSyntaxError(f"'{symbol}' of a {left.cls.__name__} and a {right.cls.__name__} that "
                                     f"overrides {reflected} (Python tries the subclass's method first): call the "
                                     "method you mean by name", loc)
    if _is_object(left) and _method(left.cls, forward, loc) is not None:
        return _run(flat, left, forward, (right,), loc, e.args[0])
    if _is_object(right) and _method(right.cls, reflected, loc) is not None and \
            (e.op in _MIRROR or not _is_object(left) or left.cls is not right.cls):
        if not _is_object(left) and not isinstance(left, CTree):
            left = _scalar_left(flat, left, symbol, right.cls, loc)
        return _run(flat, right, reflected, (left,), loc, e.args[1])
    if not _is_object(left):  # (sum() of objects starts from 0 + v, as Python's does)
        raise UnsupportedSyntaxError(f"'{symbol}' of a value and a {right.cls.__name__} object on its right: its class "
                                     f"defines no {reflected} that s2sgrad can inline (sum() of objects starts from "
                                     f"0 {symbol} v: give the class {reflected}, or add them with {symbol})", loc)
    raise UnsupportedSyntaxError(f"'{symbol}' on a {left.cls.__name__} object: its class defines no {forward} "
                                 f"(nor the other operand's class {reflected}) that s2sgrad can inline", loc)
