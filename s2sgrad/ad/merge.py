"""Where adjoint states meet (a mixin of ReverseGenerator, through ReverseControlFlow): after a
branch, at the top of a reverse loop iteration, and before a rule or a return that needs the exact
shape.

Guarantees: `materialize` puts v's adjoint in the variable grad_v with v's full shape (a zero of it
when asked), as an array the generated code owns unless v is a number; `_agree` makes several states
end in grad_v with one shape, reading v itself only where their shapes differ, and keeps them
unowned (aliasing allowed) only when every state was; `_reach` takes a state to a settled one,
copying only when the shape or ownership must change.
"""
from __future__ import annotations

from ..builder import NP
from ..ir import Assign, Const, Name
from ..passes.shapes import UNKNOWN, Arr, Known, PyNum
from .adjoints import AdjVal
from .context import _shape


class AdjointMerge:
    """The adjoint-state conversions control flow needs (see the module docstring)."""

    def full_value(self, v):
        vval = self.shapes.all.get(v, UNKNOWN)
        if isinstance(vval, (PyNum, Known)) or (isinstance(vval, Arr) and vval.scalar):
            return PyNum(float)
        return vval

    def materialize(self, v, cur, loc, zero=False):
        """(code, AdjVal): v's adjoint as the full-shaped variable grad_v (zero: a zero one)."""
        gname = self.grad_name(v)
        full = self.full_value(v)
        if isinstance(full, PyNum):
            value = Const(0.0) if zero else cur.expr
            val = AdjVal(Name(gname), full, False)
        else:
            value = NP.zeros_like(Name(v)).e if zero else NP.full_like(Name(v), cur.expr).e
            val = AdjVal(Name(gname), full, True)
        if isinstance(value, Name) and value.id == gname:
            return [], val
        return [Assign((gname,), value, loc)], val

    def _named(self, v, cur):
        return isinstance(cur.expr, Name) and cur.expr.id == self.grad_name(v)

    def _settled(self, v, cur):
        """In the variable grad_v with the variable's full shape."""
        full = self.full_value(v)
        return self._named(v, cur) and (isinstance(full, PyNum) or _shape(cur.value) == _shape(full))

    def _as_variable(self, v, cur, loc):
        """(code, AdjVal): the same value, held in the variable grad_v (no shape change)."""
        if self._named(v, cur):
            return [], cur
        gname = self.grad_name(v)
        self.gvals[gname] = cur.value
        return [Assign((gname,), cur.expr, loc)], AdjVal(Name(gname), cur.value, False)

    def _agree(self, v, states, loc):
        """Code per state so that all end with v's adjoint in grad_v with one shape (and the
        ownership they share); returns (codes, AdjVal).  Reads v itself only when shapes differ."""
        shapes = {_shape(c.value) for c in states if c is not None}
        if None not in states and len(shapes) == 1 and None not in shapes:
            pairs = [self._as_variable(v, c, loc) for c in states]
            owned = all(p[1].owned for p in pairs)
            val = AdjVal(Name(self.grad_name(v)), pairs[0][1].value, owned)
            return [p[0] for p in pairs], val
        codes = []
        for c in states:
            if c is None:
                codes.append(self.materialize(v, None, loc, zero=True)[0])
            elif self._settled(v, c):
                codes.append([])
            else:
                codes.append(self.materialize(v, c, loc)[0])
        full = self.full_value(v)
        owned = not isinstance(full, PyNum) and all(c is None or not self._settled(v, c) or c.owned for c in states)
        return codes, AdjVal(Name(self.grad_name(v)), full, owned)

    def _reach(self, v, cur, want, loc):
        """Code taking v's adjoint from state `cur` to state `want` (a settled variable state)."""
        if cur is None:
            if _shape(want.value) == _shape(self.full_value(v)) or isinstance(self.full_value(v), PyNum):
                return self.materialize(v, None, loc, zero=True)
            gname = self.grad_name(v)  # a zero of the (lazy) shape the loop carries
            return [Assign((gname,), NP.zeros(_shape(want.value)).e, loc)], want
        if _shape(cur.value) == _shape(want.value) and (cur.owned or not want.owned):
            return self._as_variable(v, cur, loc)
        return self.materialize(v, cur, loc)
