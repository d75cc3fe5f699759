"""Which rows take complex values, and the refusal for the others.

np.fft makes complex values (rules/fft.py), whose cotangents follow JAX's convention.  A row's
real formula is right for a complex argument only where the function is holomorphic (its formula
g * f'(z) needs no conjugate: +, *, /, exp, log, sin, tanh, sqrt, solve, inv, ...) or linear
without a conjugate (sums, indexing, reshapes, matmul, einsum); the rows with a complex case of
their own are the fft ones, np.vdot (which conjugates its first argument) and |z|, Re, Im, conj,
angle.  Any other row (var/std, norms, max/min, sort, decompositions, where ordering or |z|^2 is
hidden inside) given a differentiated complex argument -- or one whose dtype shape inference lost,
in a function that holds complex values -- is refused: its real formula would give a wrong number,
silently.

Guarantee: `check(c)` raises before a row not in COMPLEX_SAFE computes a contribution for such an
argument, or for a real argument beside a complex one; rows of real arguments (known real dtype,
Python floats) are never affected.
"""
from __future__ import annotations

import numpy as np

from ..ir import Const

COMPLEX_SAFE = frozenset({
    # holomorphic elementwise
    "add", "sub", "mul", "truediv", "neg", "pos", "pow", "np.add", "np.subtract", "np.multiply", "np.divide",
    "np.true_divide", "np.negative", "np.power", "np.exp", "np.log", "np.log2", "np.log10", "np.expm1",
    "np.log1p", "np.sin", "np.cos", "np.tan", "np.sinh", "np.cosh", "np.tanh", "np.sqrt", "np.square",
    "np.reciprocal", "np.exp2",
    # rows with a complex case of their own
    "np.abs", "abs", "np.real", "np.imag", "np.conj", "np.conjugate", ".conj", ".conjugate", "np.angle",
    "@real", "@imag",
    # linear (no conjugate) and structural
    "np.sum", ".sum", "np.mean", ".mean", "np.cumsum", ".cumsum", "getitem", "@T", ".reshape", "np.reshape",
    "np.transpose", ".transpose", "np.expand_dims", "np.squeeze", ".squeeze", "np.ravel", ".ravel",
    ".flatten", "np.concatenate", "np.stack", "np.vstack", "np.hstack", "np.array", "np.asarray", "np.copy",
    ".copy", "np.broadcast_to", "np.flip", "np.roll", "np.swapaxes", "np.moveaxis", "np.tile", "np.repeat",
    "np.pad", "np.diag", "np.diagonal", "np.trace", "np.where", "matmul", "np.matmul", "np.dot", "np.einsum",
    "np.outer", "np.tensordot", "np.kron", "np.vdot",
    # holomorphic matrix functions (transposes, no conjugate): x = A^-1 b
    "np.linalg.solve", "np.linalg.inv", "np.diff", "stop_gradient", "stop_gradient_identity", ".astype",
    "np.zeros_like", "np.ones_like", "list_sum", "np.fft.fftfreq", "np.fft.rfftfreq",
})


def dtype_kind(v):
    """'c' complex, 'r' real, None unknown, for an abstract value."""
    t = getattr(v, "type", None)  # PyNum
    if t is not None:
        return "c" if t is complex else "r"
    if hasattr(v, "value") and not hasattr(v, "dtype"):  # Known
        return "c" if isinstance(v.value, complex) else "r"
    dt = getattr(v, "dtype", None)
    if dt is None:
        return None
    return "c" if np.dtype(dt).kind == "c" else "r"


def holds_complex(fn, shapes) -> bool:
    """Whether a function may hold complex values: an fft, a complex constant or a complex value
    shape inference saw anywhere."""
    from .. import ir
    for s in ir.walk(fn.body):
        for e in ir.stmt_calls(s):
            if e.op.startswith("np.fft.") and not e.op.endswith("freq"):
                return True
            if any(isinstance(a, Const) and isinstance(a.value, complex) for a in e.args):
                return True
    return any(dtype_kind(v) == "c" for v in getattr(shapes, "all", {}).values())


def holds_complex_of(gen) -> bool:
    """holds_complex for a generator's function (reverse or forward mode), computed once."""
    flag = getattr(gen, "_complex_flag", None)
    if flag is None:
        flag = gen._complex_flag = holds_complex(gen.fn, gen.shapes)
    return flag


def check(c, active) -> None:
    op = c.call.op
    if op in COMPLEX_SAFE or op.startswith("np.fft."):
        return
    if any(active(i) for i in range(len(c.call.args))):
        for i in range(len(c.call.args)):
            if not active(i) and dtype_kind(c._abstract(i)) == "c":
                # (a real argument's contribution through a row whose formula assumes real values:
                # scipy's correlate2d conjugates, convolve2d's adjoint of a complex in1 was wrong)
                raise c.unsupported("a complex argument beside a differentiated one (this function is "
                                    "differentiated for real values only; take np.abs, np.real or np.imag of the "
                                    "complex value first)")
    for i in range(len(c.call.args)):
        if not active(i):
            continue
        kind = dtype_kind(c._abstract(i))
        if kind == "c" or (kind is None and c.may_hold_complex()):
            what = "a complex argument" if kind == "c" else \
                "an argument whose dtype is known only at run time, in a function that holds complex values"
            raise c.unsupported(f"{what} (this function is differentiated for real values only; take np.abs, "
                                "np.real or np.imag of the complex value first)")
