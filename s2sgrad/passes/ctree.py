"""Compile-time containers for the container pass (containers.py): a CTree is a dict, list, tuple
or object argument (or one built in the function) whose structure is known when compiling, its
children CTrees or the expressions of its leaves.  Reading a key or index that is not there, or
using an object made in the function as a run-time value, is refused at the user's line.
`_Unroll` is how evaluation asks the loop around to be unrolled (its counter indexes a container);
`shape_known` evaluates what reads only this signature's shapes (`range(Y.shape[1])` of a loop that
builds a dict is known when compiling).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import UnsupportedSyntaxError
from ..ir import Call, Const, DictExpr, ListExpr, Name, Tuple


@dataclass
class CTree:
    """A container during flattening: children are CTrees, or expressions (a leaf's variable)."""
    kind: str
    keys: list
    items: list
    path: object = None  # the expression reading it from an argument (params['layers']), if it is one
    cls: object = None   # an object's class (passes/objects.py)
    hidden: tuple = ()   # an object argument's attributes that are not leaves (trees.Tree.hidden)

    def child(self, key, where):
        if self.kind in ("dict", "object"):
            if key not in self.keys and self.kind == "object":
                raise UnsupportedSyntaxError(f"'{getattr(self.cls, '__name__', 'object')}' object has no attribute "
                                             f"{key!r} that s2sgrad can read (its attributes holding arrays, numbers "
                                             f"or objects: {', '.join(map(repr, self.keys))})", where)
            if key not in self.keys:
                raise UnsupportedSyntaxError(f"key {key!r} is not in this dict (its keys: "
                                             f"{', '.join(map(repr, self.keys))})", where)
            return self.items[self.keys.index(key)]
        if isinstance(key, slice):
            idx = range(len(self.items))[key]
            return CTree(self.kind, list(range(len(idx))), [self.items[i] for i in idx])
        if not isinstance(key, int) or isinstance(key, bool) or not -len(self.items) <= key < len(self.items):
            raise UnsupportedSyntaxError(f"index {key!r} out of range for a {self.kind} of length "
                                         f"{len(self.items)}", where)
        return self.items[key]

    def as_sequence_expr(self, where):
        """The container as a runtime list of its leaves (np.stack(hs), sum(terms))."""
        elts = []
        for it in self.items:
            if isinstance(it, CTree):
                elts.append(it.as_sequence_expr(where))
            else:
                elts.append(it)
        if self.kind in ("dict", "object"):
            if self.kind == "object" and self.path is not None:
                return self.path
            if self.kind == "object":  # made in the function (obj_new): no run-time value to give
                raise UnsupportedSyntaxError(f"an object of '{self.cls.__name__}' made in the function, used as a "
                                             "value (returned, stored or passed to a numpy function): use its "
                                             "attributes or call its methods instead", where)
            return DictExpr(tuple(Const(k) for k in self.keys), tuple(elts))
        return ListExpr(tuple(elts)) if self.kind == "list" else Tuple(tuple(elts))

    def as_value(self, where):
        """The container itself as a run-time value (an auxiliary output): the argument it was read
        from when it is one (the same object), else rebuilt with its structure."""
        return self.path if self.path is not None else self.as_sequence_expr(where)


def constants(v):
    """The values of a tuple or list of constants (('W1', 'W2')), else None."""
    if isinstance(v, (Tuple, ListExpr)) and all(isinstance(x, Const) for x in v.elts):
        return [x.value for x in v.elts]
    return None


class _Unroll(Exception):
    """The loop around must be unrolled: its counter indexes a container."""

    def __init__(self, var, loc, what):
        self.var, self.loc, self.what = var, loc, what

    def refusal(self):
        if getattr(self, "refused", None):  # (what asked for the unrolling said why: object_lists.py)
            return UnsupportedSyntaxError(self.refused, self.loc)
        return UnsupportedSyntaxError(f"{self.what} must be known when compiling (a constant, or a counter "
                                      f"of a loop over the container; '{self.var}' is computed at run time)",
                                      self.loc)



_FOLD = {"neg": lambda a: -a, "add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
         "min": min, "max": max, "floordiv": lambda a, b: a // b}


def shape_known(e, shapes, values, depth=0):
    """The value of e where it reads only `shapes` (parameter -> its array's shape in this signature:
    a parameter never bound again, whose new shape compiles again) and `values` (a name bound once to
    such a value) -- `Y.shape[1]`, `len(x) - 1`, `x.ndim` --, else None."""
    if depth > 8:
        return None
    if isinstance(e, Const) and type(e.value) in (int, tuple):
        return e.value
    if isinstance(e, Name):
        return values.get(e.id)
    if not isinstance(e, Call) or e.kwargs:
        return None
    if e.op in ("@shape", "@ndim", "len", "@size") and len(e.args) == 1 and isinstance(e.args[0], Name) \
            and e.args[0].id in shapes:
        shape = shapes[e.args[0].id]
        if e.op == "len":
            return shape[0] if shape else None
        return {"@shape": shape, "@ndim": len(shape), "@size": int(np.prod(shape))}[e.op]
    parts = [shape_known(a, shapes, values, depth + 1) for a in e.args]
    if any(p is None for p in parts):
        return None
    if e.op == "getitem" and len(parts) == 2 and isinstance(parts[0], tuple) and type(parts[1]) is int:
        return parts[0][parts[1]] if -len(parts[0]) <= parts[1] < len(parts[0]) else None
    if e.op in _FOLD and all(type(p) is int for p in parts):
        try:
            return _FOLD[e.op](*parts)
        except (ArithmeticError, ValueError, TypeError):
            return None
    return None
