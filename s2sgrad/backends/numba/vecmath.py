"""float32 `exp` and `tanh` that LLVM's loop vectorizer can vectorize, and a sum it may reorder.

numba calls the C library's scalar `expf` / `tanhf` for `np.exp` / `np.tanh` on a number: one call
per element, and no vector loop around it (numba has vector versions only through Intel's SVML,
which the llvmlite wheels lack, and this LLVM build has no `-vector-library` option for glibc's
libmvec).  numpy's and XLA's float32 loops use vectorised approximations instead.  These are plain
arithmetic (no call), so a fused loop that uses them becomes a vector loop.

Accuracy (what fuse.py relies on when it uses them in float32 runs only): the result is computed
in float64 -- range reduction `x = n ln2 + r` with |r| <= ln2/2, Taylor series of `expm1(r)` to
degree 8 (truncation below 2e-10 relative), scaling by 2**n built from its bits; fused
multiply-adds allowed inside these functions only -- and rounded once to float32, so it is the
correctly rounded float32 result or its neighbour (at most 1 ulp from the exact value; numpy's
own float32 loops are within a few ulp).  `tanh` uses `expm1(2|x|) / (expm1(2|x|) + 2)` with the
sign of x, relative accuracy kept near 0 (no cancellation).  NaN gives NaN, ±inf gives ±inf / 0
for exp and ±1 for tanh, -0.0 stays -0.0 in tanh, overflow gives inf and underflow the float32
subnormals or 0, as numpy's.  tests/test_numba.py checks all of this against numpy and float64
over the whole float32 range.

`sum_add(acc, v)` is `acc + v` in float64 marked reassociable (LLVM's `reassoc` flag on that one
addition only): the loop vectorizer may then keep several partial sums, which it cannot do for a
strict left-to-right sum -- a strict sum keeps the whole fused loop scalar.  The order of the
additions changes, as numpy's pairwise sum changes it; nothing else in the function is reordered.
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit, types
from numba.extending import intrinsic

_LOG2E = 1.4426950408889634
_LN2_HI = 0.6931471803691238   # ln 2 split so that n * _LN2_HI is exact for |n| < 2**20
_LN2_LO = 1.9082149292705877e-10


@intrinsic
def _pow2(typingctx, n):
    """2.0 ** n for an int64 n in the normal float64 range: the exponent bits set directly."""
    if not isinstance(n, types.Integer):
        return None

    def codegen(context, builder, sig, args):
        from llvmlite import ir as llir
        k = context.cast(builder, args[0], sig.args[0], types.int64)
        bits = builder.shl(builder.add(k, llir.Constant(llir.IntType(64), 1023)), llir.Constant(llir.IntType(64), 52))
        return builder.bitcast(bits, llir.DoubleType())
    return types.float64(n), codegen


@intrinsic
def sum_add(typingctx, acc, v):
    """acc + v in float64, the addition marked `reassoc` (see the module's docstring)."""
    if not isinstance(acc, (types.Float, types.Integer)) or not isinstance(v, (types.Float, types.Integer)):
        return None

    def codegen(context, builder, sig, args):
        a = context.cast(builder, args[0], sig.args[0], types.float64)
        b = context.cast(builder, args[1], sig.args[1], types.float64)
        return builder.fadd(a, b, flags=("reassoc",))
    return types.float64(acc, v), codegen


@njit(cache=True, fastmath={"contract"})
def _expm1_reduced(r):
    # Taylor series of e**r - 1 to r**8 / 8! for |r| <= ln2/2 (Horner): the next term is below
    # 2e-10 * |r|, far below float32's half ulp (3e-8)
    p = 2.48015873015873e-05
    p = p * r + 0.0001984126984126984
    p = p * r + 0.001388888888888889
    p = p * r + 0.008333333333333333
    p = p * r + 0.041666666666666664
    p = p * r + 0.16666666666666666
    p = p * r + 0.5
    p = p * r + 1.0
    return p * r


@njit(cache=True, fastmath={"contract"})
def _reduce(d):
    """(n, r) with d = n ln2 + r, |r| <= ln2/2; n is 0 for a NaN d (r then NaN)."""
    n = np.floor(d * _LOG2E + 0.5)
    n = n if n == n else 0.0
    r = (d - n * _LN2_HI) - n * _LN2_LO
    return n, r


@njit(cache=True, fastmath={"contract"})
def exp32(x):
    """np.exp of a float32 number, as a float32 (at most 1 ulp from the exact value)."""
    d = np.float64(x)
    # beyond these bounds the float32 result is inf or 0 anyway; NaN passes (comparisons are false)
    d = 90.0 if d > 90.0 else d
    d = -110.0 if d < -110.0 else d
    n, r = _reduce(d)
    return np.float32(_pow2(np.int64(n)) * (1.0 + _expm1_reduced(r)))


@njit(cache=True, fastmath={"contract"})
def tanh32(x):
    """np.tanh of a float32 number, as a float32 (at most 1 ulp from the exact value)."""
    d = np.float64(x)
    a = abs(d)
    a = 20.0 if a > 20.0 else a  # tanh(20) rounds to 1 in float64; NaN passes
    n, r = _reduce(2.0 * a)
    e = _expm1_reduced(r)
    m = e if n == 0.0 else _pow2(np.int64(n)) * (1.0 + e) - 1.0  # expm1(2|x|), accurate near 0
    return np.float32(math.copysign(np.true_divide(m, m + 2.0), d))
