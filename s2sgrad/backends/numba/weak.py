"""Python numbers next to float32 values, typed as numpy types them (numba backend).

numpy (NEP 50) treats a Python int or float as "weak": next to a float32 array or numpy scalar it
becomes a float32 (`np.where(m, x32, 0.0)`, `0.5 * x32`, `x32 >= 0.1` are float32 operations).  numba
types every Python float as float64 and applies numpy's old promotion rules, so the same statements
give float64 arrays (`np.where(m, x32, 0.0)`, `x32 + 0.5`), float64 numbers (`s32 * 3`), or compare
in float64 (`x32 == 0.1` is False where numpy's is True).  The generated code of a float32 program
then returns float64 gradients (np.clip's, np.std's, np.var's with ddof, np.nansum's and norm's
along an axis, whose adjoints hold such constants).

Where s2sgrad's shape inference (passes/shapes.py, which evaluates each expression with numpy
itself) says that an operand is a Python number (a constant, a Python float argument, the float
`runtime_grads.ddof_scale` gives) and the other a float32 array or numpy scalar, the Python number is
written `np.float32(...)`: the conversion numpy makes, so numba computes what numpy computes.  Where
the inference cannot tell, the expression stays as it was.  Fused loops (fuse.py) already write
their numbers as float32 in float32 runs.
"""
from __future__ import annotations

import numpy as np

from ...ir import Call

# binary operators and elementwise functions of two operands where numpy applies NEP 50
_BINARY = frozenset({"add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "gt", "lt", "ge", "le", "eq", "ne",
                     "np.maximum", "np.minimum", "np.add", "np.subtract", "np.multiply", "np.divide",
                     "np.true_divide", "np.power", "np.fmax", "np.fmin"})


def uses_float32(signature: dict, namespace: dict) -> bool:
    """Whether a program of this signature (or a global array it reads) holds float32 values: the
    only ones the rewrite changes."""
    from ...passes.shapes import Arr
    f32 = np.dtype(np.float32)
    return any(isinstance(v, Arr) and v.dtype is not None and np.dtype(v.dtype) == f32
               for v in (signature or {}).values()) or any(
        isinstance(v, np.ndarray) and v.dtype == f32 for v in (namespace or {}).values())


def weak_scalars(e: Call, s, operands) -> Call:
    """`e` with its Python-number operands next to float32 operands written `np.float32(...)`."""
    if e.op == "np.where" and len(e.args) == 3 and not e.kwargs:
        a, b = e.args[1], e.args[2]
        a2, b2 = _weak(a, b, s, operands), _weak(b, a, s, operands)
        return e if (a2, b2) == (a, b) else Call(e.op, (e.args[0], a2, b2))
    if e.op in _BINARY and len(e.args) == 2 and not e.kwargs:
        a, b = e.args
        # an int exponent stays an int: numba's float32 ** int is float32 (and its repeated product)
        b2 = b if e.op in ("pow", "np.power") and _is_int(b, s, operands) else _weak(b, a, s, operands)
        a2 = _weak(a, b, s, operands)
        return e if (a2, b2) == (a, b) else Call(e.op, (a2, b2), e.kwargs)
    return e


def _python_number(v) -> bool:
    from ...passes.shapes import Known, PyNum
    if isinstance(v, PyNum):
        return v.type in (int, float)
    return isinstance(v, Known) and type(v.value) in (int, float)


def _is_int(e, s, operands) -> bool:
    from ...passes.shapes import Known, PyNum
    v = _value(e, s, operands)
    return (isinstance(v, PyNum) and v.type is int) or (isinstance(v, Known) and type(v.value) is int)


def _value(e, s, operands):
    from ...ir import Const
    from ...passes.shapes import Known
    if isinstance(e, Const):
        return Known(e.value)
    return operands.value_of(e, s)


def _weak(x, other, s, operands):
    """x as `np.float32(x)` when it is a Python number and `other` a float32 array or scalar."""
    from ...passes.shapes import Arr
    if isinstance(x, Call) and x.op == "np.float32":
        return x
    if not _python_number(_value(x, s, operands)):
        return x
    o = _value(other, s, operands)
    if isinstance(o, Arr) and o.dtype is not None and np.dtype(o.dtype) == np.float32:
        return Call("np.float32", (x,))
    return x
