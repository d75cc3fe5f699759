"""What a rule sees, shared by both transforms: the call's arguments and result as expressions, the
cotangent (reverse mode) or the arguments' tangents (forward mode), and static facts about them
(shapes, ranks, constant keywords, activity) read from shape inference.  Also the deterministic,
collision-free names every transform gives the variables it introduces.
"""
from __future__ import annotations

import numpy as np

from ..builder import E
from ..errors import UnsupportedSyntaxError
from ..ir import Assign, Call, Const, ListExpr, Name, Slice, Tuple
from ..passes.shapes import UNKNOWN, Arr, Known, PyNum


def _shape(v):
    if isinstance(v, Arr):
        return v.shape
    if isinstance(v, (PyNum, Known)):
        return ()
    return None


def _is_array(v):
    return isinstance(v, Arr) and not v.scalar and v.shape is not None


def _index_value(index):
    """An index as a value (np.add.at's argument): `x[[0, 1], :]` -> `([0, 1], slice(None))`."""
    def part(p):
        if isinstance(p, Slice):
            bounds = [Const(None) if b is None else b for b in (p.lower, p.upper, p.step)]
            if bounds[2] == Const(None):  # (slice(a) is a's stop: `1:` is slice(1, None), never slice(1))
                bounds.pop()
                if bounds == [Const(None), Const(None)]:
                    bounds.pop()
            return Call("slice", tuple(bounds))
        return p
    return Tuple(tuple(part(p) for p in index.elts)) if isinstance(index, Tuple) else part(index)


_NOT_CONSTANT = object()


class RuleCtx:
    """What a rule sees: g, ans and the arguments as expressions, plus static facts about them."""

    NOT_CONSTANT = _NOT_CONSTANT  # (what `constant` gives for a value known at run time only)
    # whether g is a tangent (forward mode) rather than a cotangent: the elementwise rows of
    # functions that are not holomorphic in a complex argument (|z|, Im z, angle z: rules/fft.py)
    # write the two differently; every other row's formula serves both
    forward = False

    def __init__(self, gen, s, g):
        self.gen, self.s = gen, s
        call = s.value
        self.call = call
        self.g = E(g)
        self.ans = E(Name(s.target))
        self.args = [E(a) for a in call.args]
        self.lets = []  # statements for values several contributions share (see let)

    def _abstract(self, i):
        a = self.call.args[i]
        if isinstance(a, Name):
            return self.gen.shapes.before(self.s, a.id)
        if isinstance(a, Const):
            return Known(a.value)
        return UNKNOWN

    def shape(self, i):
        return _shape(self._abstract(i))

    def ndim(self, i):
        s = self.shape(i)
        return None if s is None else len(s)

    def rank(self, i):
        """The number of axes of argument i where it is known, its shape or not (K[np.ix_(rows, cols)]:
        2, passes/shape_ranks.py)."""
        a = self._abstract(i)
        if isinstance(a, Arr):
            return a.rank
        return self.ndim(i)

    def kw(self, name, pos=None, default=None):
        v = self.call.kw(name)
        if v is None and pos is not None and pos < len(self.call.args):
            v = self.call.args[pos]
        if v is None:
            return default
        value = self.constant(v)
        if value is _NOT_CONSTANT:
            raise self._runtime(f"'{name}' computed at run time (it must be a constant)", v)
        return value

    def constant(self, v):
        """The value of v when it is known when compiling: written out of constants, or names whose
        value this signature fixes (`pad = (K - 1) * dilation` of a shape, `len(heights)`: a Known
        int of shape inference); _NOT_CONSTANT otherwise."""
        if isinstance(v, Name):
            a = self.gen.shapes.before(self.s, v.id)
            if isinstance(a, Known) and type(a.value) in (int, bool, np.int64, np.int32, np.intp):
                return a.value if type(a.value) in (int, bool) else int(a.value)
            if isinstance(a, Known) and type(a.value) is tuple and all(type(x) is int for x in a.value):
                return a.value  # (axes = tuple(range(x.ndim - 2)) + (-1, -2): shape arithmetic)
            if isinstance(a, Known) and type(a.value) is str:
                return a.value  # (mode=MODE of a global or closure string: guarded, rebinding it recompiles)
            return _NOT_CONSTANT
        if isinstance(v, (Tuple, ListExpr)):
            items = tuple(self.constant(x) for x in v.elts)
            return _NOT_CONSTANT if any(x is _NOT_CONSTANT for x in items) else items
        return _constant(v)

    def is_constant(self, v) -> bool:
        """Whether expression v's value is known when compiling (see `constant`)."""
        return self.constant(v) is not _NOT_CONSTANT

    def may_hold_complex(self) -> bool:
        """Whether the function may hold complex values (rules/complex_guard.py), asked once."""
        from ..rules.complex_guard import holds_complex_of
        return holds_complex_of(self.gen)

    def const_arg(self, i):
        a = self.call.args[i]
        if not isinstance(a, Const):
            raise self._runtime("a computed axis argument", a)
        return a.value

    def _runtime(self, what, v):
        """The refusal of a value computed at run time; a plain name is attached (`runtime_name`): a
        parameter may then be made static, the code generated per value (static_args.py)."""
        err = self.unsupported(what)
        if isinstance(v, Name):
            err.runtime_name = v.id
        return err

    def list_len(self, i):
        a = self.call.args[i]
        if isinstance(a, (ListExpr, Tuple)):
            return len(a.elts)
        raise self.unsupported("a sequence that is not written out as a list or tuple in the call itself (a list "
                               "bound to a name first counts as not written out: write [a, b] inside the call)")

    def list_shapes(self, i):
        a = self.call.args[i]
        self.list_len(i)  # (a sequence that is not a literal: refused, as list_len does)
        shapes = [_shape(self.gen.shapes.before(self.s, x.id)) if isinstance(x, Name) else _literal_shape(x)
                  for x in a.elts]
        return None if any(s is None for s in shapes) else shapes

    def active(self, i):
        """Whether argument i (a name, or a list literal holding one) carries a derivative."""
        a = self.call.args[i] if i < len(self.call.args) else None
        names = [a] if isinstance(a, Name) else list(a.elts) if isinstance(a, (ListExpr, Tuple)) else []
        return any(isinstance(n, Name) and self.gen.act.is_active(n.id) for n in names)

    def is_number(self, i):
        """Argument i is a Python number (no .shape/.size attributes at run time)."""
        return isinstance(self._abstract(i), (PyNum, Known))

    def is_array(self, i):
        """Argument i is a numpy array or scalar (it has .shape and .size at run time)."""
        return isinstance(self._abstract(i), Arr)

    def ans_shape(self):
        return _shape(self.gen.shapes.after(self.s, self.s.target))

    def ans_dtype(self):
        """The result's numpy dtype when known (None for Python numbers or an unknown dtype)."""
        v = self.gen.shapes.after(self.s, self.s.target)
        return np.dtype(v.dtype) if isinstance(v, Arr) and v.dtype is not None else None

    def unsupported(self, what):
        return UnsupportedSyntaxError(f"{self.call.op}: {what} is not supported", self.s.loc)

    def let(self, value, base):
        """A value two contributions share (solve's `solve(A.T, g)`), computed once in a statement
        of its own before them; returns its name."""
        name = self.gen.names.get(("let", base, id(self.s), len(self.lets)), base)
        e = self.gen.recompute(E(value)).e
        self.gen.gvals[name] = self.gen.eval_shape(e, self.s)
        self.lets.append(Assign((name,), e, self.s.loc))
        return E(Name(name))


class Names:
    """Deterministic, collision-free names for everything the generator introduces."""

    def __init__(self, taken):
        self.taken = set(taken)
        self.given = {}

    def get(self, key, base):
        if key in self.given:
            return self.given[key]
        name, k = base, 2
        while name in self.taken:
            name = f"{base}_{k}"
            k += 1
        self.taken.add(name)
        self.given[key] = name
        return name




def _constant(v):
    """The value of a constant, or of a tuple or list written out of constants, nested ones too
    (tensordot's axes=((2, 1), (1, 0))), as tuples; _NOT_CONSTANT otherwise."""
    if isinstance(v, Const):
        return v.value
    if isinstance(v, (Tuple, ListExpr)):
        items = tuple(_constant(x) for x in v.elts)
        return _NOT_CONSTANT if any(x is _NOT_CONSTANT for x in items) else items
    return _NOT_CONSTANT


def _literal_shape(e):
    """The shape numpy gives a literal item of a list argument: () for a number, (2,) for
    `[1.0, 2.0]`; None (known at run time only) for anything else.  A nested list was taken for a
    number: np.concatenate([v, [1.0, 2.0]]) split its gradient on a 0-d shape (ZeroDivisionError)."""
    if isinstance(e, Const) and isinstance(e.value, (int, float)):
        return ()
    if isinstance(e, (ListExpr, Tuple)) and e.elts:
        inner = [_literal_shape(x) for x in e.elts]
        if all(s is not None and s == inner[0] for s in inner):
            return (len(e.elts),) + inner[0]
    return None
