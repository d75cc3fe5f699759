"""Calls of cached.py's functions where the generated code's argument types are known.

After lowering, fusion and record preallocation, numpy allocations whose arguments are plain
(`np.empty((32,), np.float64)`, `np.zeros_like(U)`, `np.empty_like(h)`, `np.zeros(shape, dtype)`)
read `new_empty(...)` etc., and `mat_mul(a, b)` / `np_outer(a, b)` whose operands s2sgrad's shape
inference knows to be float vectors and matrices of one dtype read `mat_vec` / `vec_mat` /
`mat_mat` / `outer_of`: functions numba loads from its disk cache instead of compiling numpy's
implementations again in each process.  Where a type is not known the call stays as it was (the
overloads of helpers.py still type it), so this part changes compile time only, never a value.

The same walk (one shape inference for both) writes the Python numbers next to float32 operands as
float32, as numpy does (weak.py), in programs that hold float32 values.
"""
from __future__ import annotations

import numpy as np

from ... import ir
from ...ir import Call

_ALLOC = {"np.empty": "new_empty", "np.zeros": "new_zeros", "np.empty_like": "new_empty_like",
          "np.zeros_like": "new_zeros_like"}


def direct_calls(fn: ir.Function, signature: dict, namespace: dict) -> ir.Function:
    from ...passes.shapes import Arr
    from .rewrite import Operands, map_calls
    from .weak import uses_float32, weak_scalars
    operands = Operands(fn, signature, namespace)
    weak = uses_float32(signature, namespace)

    def kind(e, s):
        """(ndim, dtype) of a float array operand, else None."""
        v = operands.value_of(e, s)
        if isinstance(v, Arr) and v.shape is not None and v.dtype is not None and not v.scalar \
                and np.dtype(v.dtype) in (np.float32, np.float64):
            return len(v.shape), np.dtype(v.dtype)
        return None

    def call(e, s):
        if weak:
            e = weak_scalars(e, s, operands)
        op, args = e.op, e.args
        if op in _ALLOC and not e.kwargs:
            if op in ("np.empty", "np.zeros"):  # (shape) or (shape, dtype); numpy's default is float64
                if len(args) in (1, 2):
                    return Call(_ALLOC[op], args if len(args) == 2 else (args[0], ir.Name("np.float64")))
            elif len(args) == 1:  # np.empty_like(x), np.zeros_like(x)
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
    return map_calls(fn, call)
