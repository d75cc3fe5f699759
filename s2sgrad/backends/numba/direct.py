"""Calls of cached.py's functions where the generated code's argument types are known.

After lowering, fusion and record preallocation, numpy allocations whose arguments are plain
(`np.empty((32,), np.float64)`, `np.zeros_like(U)`, `np.empty_like(h)`, `np.zeros(shape, dtype)`)
read `new_empty(...)` etc., and `mat_mul(a, b)` / `np_outer(a, b)` whose operands s2sgrad's shape
inference knows to be float vectors and matrices of one dtype read `mat_vec` / `vec_mat` /
`mat_mat` / `outer_of`: functions numba loads from its disk cache instead of compiling numpy's
implementations again in each process.  Where a type is not known the call stays as it was (the
overloads of helpers.py still type it), so this pass changes compile time only, never a value.
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from ... import ir
from ...ir import Call

_ALLOC = {"np.empty": "new_empty", "np.zeros": "new_zeros", "np.empty_like": "new_empty_like",
          "np.zeros_like": "new_zeros_like"}


def direct_calls(fn: ir.Function, signature: dict, namespace: dict) -> ir.Function:
    from ...passes.shapes import Arr, PyNum, evaluate, infer
    from .einsum import numpy_equivalents
    from .fuse import SHAPE_EQUIVALENTS
    env = {p: v for p, v in (signature or {}).items() if isinstance(v, (Arr, PyNum))}
    ns = {**namespace, **SHAPE_EQUIVALENTS, **numpy_equivalents(fn)}
    try:
        shapes = infer(fn, env, ns)
    except Exception:  # noqa: BLE001 - a program the inference cannot follow: the allocations only
        shapes = None

    def kind(e, s):
        """(ndim, dtype) of a float array operand, else None."""
        if shapes is None:
            return None
        try:
            v = evaluate(e, {n: shapes.before(s, n) for n in ir.expr_names(e)}, ns)
        except Exception:  # noqa: BLE001
            return None
        if isinstance(v, Arr) and v.shape is not None and v.dtype is not None and not v.scalar \
                and np.dtype(v.dtype) in (np.float32, np.float64):
            return len(v.shape), np.dtype(v.dtype)
        return None

    def call(e, s):
        op, args = e.op, e.args
        if op in _ALLOC and not e.kwargs:
            if op in ("np.empty", "np.zeros") and len(args) == 1:
                return Call(_ALLOC[op], (args[0], ir.Name("np.float64")))
            if op in ("np.empty", "np.zeros") and len(args) == 2 or len(args) == 1:
                return Call(_ALLOC[op], args)
        if op in ("mat_mul", "np_outer") and len(args) == 2 and not e.kwargs:
            ka, kb = kind(args[0], s), kind(args[1], s)
            if ka is None or kb is None or ka[1] != kb[1]:
                return e
            if op == "np_outer":
                return Call("outer_of", args) if ka[0] == kb[0] == 1 else e
            name = {(2, 1): "mat_vec", (1, 2): "vec_mat", (2, 2): "mat_mat"}.get((ka[0], kb[0]))
            return Call(name, args) if name else e
        return e

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
