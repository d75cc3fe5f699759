"""The tangent state of forward mode: each variable's tangent (`Tan`, held in `dot_<v>`), the
abstract values of primals and tangents, exact-shape and zero tangents.  A mixin of
ad.forward.ForwardGenerator (the state lives on the generator)."""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from .. import ir
from ..builder import NP
from ..ir import Assign, Call, Const, Name
from ..passes.shapes import UNKNOWN, Arr, Known, ListOf, PyNum, evaluate
from .context import _shape


@dataclass(frozen=True)
class Tan:
    """A variable's tangent during generation: always held in `dot_<v>`."""
    value: object   # abstract value of the tangent (its static shape may be smaller: lazy)
    owned: bool     # a fresh array no other tangent refers to: safe to write into
    exact: bool = False  # known to have its variable's shape (a structural rule's result, a list)
    # `np.where(mask, t, 0.0)` (np.maximum's tangent): zero where mask is False, structurally -- a
    # rule multiplying it by a factor infinite there (sqrt's at 0) keeps the zero (forward.py)
    mask: object = None


class TangentState:
    # ------------------------------------------------------------------ names and values
    def dot(self, v):
        return self.names.get(("dot", v), f"dot_{v}")

    def tangent(self, v):
        return self.tan.get(v)

    def recompute(self, c):  # RuleCtx.let asks; forward mode records nothing, so recomputes nothing
        return c

    def primal_value(self, v, s=None):
        if s is not None:
            val = self.shapes.before(s, v)
            if val is not UNKNOWN:
                return val
        return self.shapes.all.get(v, UNKNOWN)

    def eval_shape(self, expr, s):
        env = {}
        for n in set(ir.expr_names(expr)):
            if n in self.gvals:
                env[n] = self.gvals[n]
            elif s is not None and isinstance(s, Assign) and n in s.targets:
                env[n] = self.shapes.after(s, n)
            else:
                env[n] = self.primal_value(n, s)
        return evaluate(expr, env, self.shapes.namespace)

    def _is_exact(self, v, t, s=None):
        pv = self.primal_value(v, s)
        if t.exact or isinstance(pv, ListOf) or v in self.lists:
            return True
        if isinstance(pv, (PyNum, Known)):
            return _shape(t.value) in ((), None) and t.value is not UNKNOWN
        return _shape(pv) is not None and _shape(t.value) == _shape(pv)

    def exact(self, v, s=None):
        """v's tangent expression with exactly v's shape (a broadcast view of a lazy one)."""
        t = self.tan[v]
        name = Name(self.dot(v))
        if self._is_exact(v, t, s):
            return name
        pv = self.primal_value(v, s)
        if isinstance(pv, (PyNum, Known)):
            return name
        return NP.broadcast_to(name, NP.shape(Name(v))).e

    def zero_of(self, v, s=None):
        """A zero tangent for v, with v's shape and a floating dtype."""
        pv = self.primal_value(v, s)
        if isinstance(pv, (PyNum, Known)):
            return Const(0.0)
        if isinstance(pv, Arr) and pv.dtype is not None and np.dtype(pv.dtype).kind in "fc":
            return NP.zeros_like(Name(v)).e
        return Call("zero_tangent", (Name(v),))

    def tangent_or_zero(self, a, s):
        if isinstance(a, Name):
            if a.id in self.tan:
                return self.exact(a.id, s)
            return self.zero_of(a.id, s)
        if isinstance(a, Const):
            return Const(0.0) if isinstance(a.value, (int, float)) and not isinstance(a.value, bool) else a
        return Call("zero_tangent", (a,))

    def set(self, v, expr, s, owned, exact=False, mask=None):
        """`dot_v = expr`, recorded as v's tangent (exact: known to have v's shape)."""
        name = self.dot(v)
        val = self.primal_value(v) if v in self.lists else self.eval_shape(expr, s)
        if self.copying and not owned and not isinstance(val, (PyNum, Known)) and \
                not (isinstance(val, Arr) and val.scalar):
            expr, owned = NP.copy(expr).e, True  # a copy's tangent is a copy (forward.py's `.copy`)
        self.gvals[name] = val
        if not owned:
            # expr may be (a view of) another tangent: that one is shared now too, so neither is
            # written in place without a copy first (`y = a.copy()` then `a[0] = ...`)
            of = {n: k[1] for k, n in self.names.given.items() if len(k) == 2 and k[0] == "dot"}
            for n in ir.expr_names(expr):
                w = of.get(n)
                if w is not None and w in self.tan and w != v:
                    self.tan[w] = replace(self.tan[w], owned=False)
        self.tan[v] = Tan(val, owned, exact, mask)
        self.given.add(v)
        return [Assign((name,), expr, s.loc)]

