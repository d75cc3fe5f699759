"""Call rewrites of a lowered function that need its operands' abstract values (direct.py's cached
calls, einsum.py's tensordots): s2sgrad's shape inference run once on the function, then every
call rebuilt bottom-up, statement by statement, keeping each statement's place.

`value_of` gives None where the inference cannot tell; a rewrite then keeps the call as it was.
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from ... import ir
from ...ir import Call


# cached.py's functions as the numpy calls they replace (direct.py writes them; a rewrite made in
# the same walk reads them)
CACHED_EQUIVALENTS = {"new_empty": np.empty, "new_zeros": np.zeros, "new_empty_like": np.empty_like,
                      "new_zeros_like": np.zeros_like, "mat_vec": np.matmul, "vec_mat": np.matmul,
                      "mat_mat": np.matmul, "outer_of": np.outer}


class Operands:
    """The abstract values of expressions at the statements of one function."""

    def __init__(self, fn: ir.Function, signature: dict, namespace: dict):
        from ...passes.shapes import Arr, PyNum, infer
        from .einsum import numpy_equivalents
        from .fuse import SHAPE_EQUIVALENTS
        env = {p: v for p, v in (signature or {}).items() if isinstance(v, (Arr, PyNum))}
        # what the helpers lower.py writes mean, for the inference (it evaluates with numpy)
        self.namespace = {**namespace, **SHAPE_EQUIVALENTS, **CACHED_EQUIVALENTS, **numpy_equivalents(fn)}
        try:
            self.shapes = infer(fn, env, self.namespace)
        except Exception:  # noqa: BLE001 - a program the inference cannot follow: nothing known
            self.shapes = None

    def value_of(self, e, s):
        """The abstract value of expression e read at statement s (None when unknown)."""
        from ...passes.shapes import evaluate
        if self.shapes is None:
            return None
        try:
            return evaluate(e, {n: self.shapes.before(s, n) for n in ir.expr_names(e)}, self.namespace)
        except Exception:  # noqa: BLE001
            return None


def map_calls(fn: ir.Function, call) -> ir.Function:
    """fn with every call e rebuilt as call(e, s) (its arguments first; s the statement holding it)."""
    def expr(e, s):
        if isinstance(e, Call):
            return call(Call(e.op, tuple(expr(a, s) for a in e.args), tuple((k, expr(v, s)) for k, v in e.kwargs)), s)
        if isinstance(e, ir.Tuple):
            return ir.Tuple(tuple(expr(x, s) for x in e.elts))
        if isinstance(e, ir.Attr):
            return ir.Attr(expr(e.value, s), e.attr)
        return e

    def stmt(s):
        if isinstance(s, ir.If):
            return replace(s, test=expr(s.test, s), body=tuple(stmt(b) for b in s.body),
                           orelse=tuple(stmt(b) for b in s.orelse))
        if isinstance(s, ir.For):
            return replace(s, iter=expr(s.iter, s), body=tuple(stmt(b) for b in s.body))
        if isinstance(s, ir.While):
            return replace(s, test=expr(s.test, s), body=tuple(stmt(b) for b in s.body))
        if isinstance(s, ir.SetItem):
            return replace(s, index=expr(s.index, s), value=expr(s.value, s))
        if isinstance(s, (ir.Assign, ir.ExprStmt)) or (isinstance(s, ir.Return) and s.value is not None):
            return replace(s, value=expr(s.value, s))
        return s
    return replace(fn, body=tuple(stmt(s) for s in fn.body))
