"""float32 `exp` and `tanh` that LLVM's loop vectorizer can vectorize, and a sum it may reorder.

numba calls the C library's scalar `expf` / `tanhf` for `np.exp` / `np.tanh` on a number: one call
per element, and no vector loop around it (numba has vector versions only through Intel's SVML,
which the llvmlite wheels lack, and this LLVM build has no `-vector-library` option for glibc's
libmvec).  numpy's and XLA's float32 loops use vectorised approximations instead.  These are plain
float32 arithmetic (no call, no float64), so a fused loop that uses them becomes a vector loop of
float32 lanes: twice as many per instruction as float64 (16 instead of 8 with AVX-512).

What fuse.py relies on (it uses them in float32 runs only):

* `exp32(x)` is within 1 ulp of the exact e**x at every float32 x.  Measured exhaustively over
  all 2**32 bit patterns against float64 `np.exp` rounded once to float32, compiled with fused
  multiply-adds (AVX-512) and without (AVX2, no FMA): at most 1 ulp apart, 0.4% of inputs 1 ulp
  off; tests/test_numba.py checks a dense sample and every float32 of the boundary regions.  e**x
  that overflows float32 gives inf (x > 88.72283, +inf included), e**x below half the smallest
  subnormal gives +0.0 (x < -103.97208, -inf included), the subnormals in between are rounded from
  a float32 value -- as numpy's `np.exp` on float32.  NaN gives NaN.
* `tanh32(x)` is within 1 ulp of the exact tanh x at every float32 x (measured the same way, both
  builds: at most 1 ulp, 0.15% of inputs 1 ulp off), relative accuracy kept near 0 (an odd
  polynomial there, no cancellation: the subnormals give themselves), ±1 for |x| >= 9.1, -0.0
  stays -0.0, ±inf give ±1, NaN gives NaN.

How (the usual technique of vector math libraries, constants fitted here): e**x = 2**n e**r with
n = round(x / ln2) (by adding 1.5 * 2**23, whose ulp is 1) and r = x - n ln2 computed in two parts
(Cody-Waite: ln2's high part has 15 significant bits, so n * high is exact for |n| < 2**9 and
x - n * high is exact by Sterbenz's lemma; the low part carries the rest), |r| <= ln2/2 plus a hair;
e**r = 1 + r + r**2 P(r) with P of degree 4 fitted near-minimax (Lawson's reweighted least squares)
for relative error, 5e-9 with its float32 coefficients, far below float32's half ulp (6e-8); 2**n
is built from exponent bits in two halves so that 2**-150 .. 2**128 are reachable and the product
is rounded only once, at the last multiplication (the one that may land in the subnormals or
overflow).  tanh: for |x| < 0.55, x + x**3 Q(x**2) with Q of degree 4 fitted the same way (4e-9
relative); above, 1 - 2 / (e**2|x| + 1) with e**2|x| >= 3 (so 2 / (e**2|x| + 1) <= 0.5 and the
subtraction cancels at most one bit), |x| clamped at 10 where it is 1 in float32 already; then the sign of x.  fused
multiply-adds are allowed inside these functions only (the bounds above hold with or without them).
The reference of the measurements, float64 libm rounded to float32, is the correctly rounded result
but for double-rounding ties, which are rare enough not to move the maxima above.

`sum_add(acc, v)` is `acc + v` in float64 marked reassociable (LLVM's `reassoc` flag on that one
addition only): the loop vectorizer may then keep several partial sums, which it cannot do for a
strict left-to-right sum -- a strict sum keeps the whole fused loop scalar.  The order of the
additions changes, as numpy's pairwise sum changes it; nothing else in the function is reordered.
A float64 accumulator in a float32 loop makes LLVM vectorise the whole loop 8 lanes wide instead
of 16 (the elementwise benchmark: 1.66 ms against 1.36), so fused float32 loops sum each block of
256 elements with `sum_add32` (float32, reassociable: 16 lanes of 16 additions, about as accurate
as numpy's pairwise sum of float32, whose blocks are 128 elements in 8 lanes) and add the blocks'
sums in float64.
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit, types
from numba.extending import intrinsic

_f = np.float32
# numba types these module-level float32 scalars as float32 constants: a plain Python float would
# make every operation it touches float64
_LOG2E = _f(1.4426950408889634)
_SHIFT = _f(12582912.0)         # 1.5 * 2**23: t + _SHIFT - _SHIFT rounds t to an integer (|t| < 2**22)
_LN2_HI = _f(0.693145751953125)  # 0x3f317200: 15 significant bits
_LN2_LO = _f(1.428606765330187e-06)  # ln2 - _LN2_HI rounded to float32 (together 5e-14 from ln2)
_EXP_MAX = _f(89.0)             # e**89 > float32 max: clamping keeps n <= 128 and still overflows
_EXP_MIN = _f(-104.0)           # e**-104 < 2**-150 (half the smallest subnormal): still rounds to 0
# e**r = 1 + r + r**2 (P0 + P1 r + ... + P4 r**4) for |r| <= 0.35: Lawson's algorithm on 4001 Chebyshev
# points, weight r**2 e**-r (the relative error of e**r), coefficients then rounded to float32;
# relative error 4.7e-9 (checked in 40-digit arithmetic)
_P0 = _f(0.4999999403953552)
_P1 = _f(0.16666515171527863)
_P2 = _f(0.04166845604777336)
_P3 = _f(0.008369424380362034)
_P4 = _f(0.001381313311867416)
# tanh x = x + x**3 (Q0 + Q1 s + ... + Q4 s**4), s = x**2, for |x| <= 0.55: fitted the same way in s,
# weight x**3 / tanh x; relative error 4.4e-9
_Q0 = _f(-0.33333316445350647)
_Q1 = _f(0.13332585990428925)
_Q2 = _f(-0.05385230854153633)
_Q3 = _f(0.021071676164865494)
_Q4 = _f(-0.006274236366152763)
_TANH_POLY = _f(0.55)
_TANH_ONE = _f(10.0)            # 1 - tanh 10 = 4e-9 < 2**-25: tanh rounds to 1 from 9.1 on
_ONE = _f(1.0)
_TWO = _f(2.0)


@intrinsic
def _ldexp32(typingctx, p, n):
    """p * 2**n for a float32 p in [0.5, 2) and an integral float32 n in [-150, 128] (NaN n is taken
    as 0): 2**n as two float32 powers of two built from their exponent bits, 2**(n >> 1) and
    2**(n - (n >> 1)), both normal; p * the first is exact, so the second multiplication is the
    only rounding (into the subnormals or to inf where the result lies there)."""
    if not (isinstance(p, types.Float) and isinstance(n, types.Float)):
        return None

    def codegen(context, builder, sig, args):
        from llvmlite import ir as llir
        f32, i32 = llir.FloatType(), llir.IntType(32)
        pv = context.cast(builder, args[0], sig.args[0], types.float32)
        nv = context.cast(builder, args[1], sig.args[1], types.float32)
        # fptosi of NaN is poison in LLVM: pick 0 first (p is NaN then anyway)
        nv = builder.select(builder.fcmp_unordered("uno", nv, nv), llir.Constant(f32, 0.0), nv)
        k = builder.fptosi(nv, i32)
        k1 = builder.ashr(k, llir.Constant(i32, 1))
        k2 = builder.sub(k, k1)

        def pow2(e):
            return builder.bitcast(builder.shl(builder.add(e, llir.Constant(i32, 127)), llir.Constant(i32, 23)), f32)
        return builder.fmul(builder.fmul(pv, pow2(k1)), pow2(k2))
    return types.float32(p, n), codegen


def _reassoc_add(to):
    """The code of `a + b` in type `to`, the addition marked `reassoc` (LLVM may reorder that one)."""
    def codegen(context, builder, sig, args):
        a = context.cast(builder, args[0], sig.args[0], to)
        b = context.cast(builder, args[1], sig.args[1], to)
        return builder.fadd(a, b, flags=("reassoc",))
    return codegen


@intrinsic
def sum_add(typingctx, acc, v):
    """acc + v in float64, the addition marked `reassoc` (see the module's docstring)."""
    if not isinstance(acc, (types.Float, types.Integer)) or not isinstance(v, (types.Float, types.Integer)):
        return None
    return types.float64(acc, v), _reassoc_add(types.float64)


@intrinsic
def sum_add32(typingctx, acc, v):
    """acc + v in float32, the addition marked `reassoc`: the sum of one block of a fused float32
    loop (fuse.py), whose blocks' sums are added in float64."""
    if not isinstance(acc, types.Float) or not isinstance(v, (types.Float, types.Integer)):
        return None
    return types.float32(acc, v), _reassoc_add(types.float32)


@njit(cache=True, fastmath={"contract"})
def _exp_parts(x):
    """(e**r, n) with x = n ln2 + r, |r| <= ln2/2 (+ rounding), for a float32 x in [-104, 89] or NaN."""
    n = (x * _LOG2E + _SHIFT) - _SHIFT
    r = (x - n * _LN2_HI) - n * _LN2_LO
    p = _P4
    p = p * r + _P3
    p = p * r + _P2
    p = p * r + _P1
    p = p * r + _P0
    # 1 + (r + r**2 P): the one rounding that matters is this last addition's
    return _ONE + (r + (r * r) * p), n


@njit(cache=True, fastmath={"contract"})
def exp32(x):
    """np.exp of a float32 number, as a float32 (within 1 ulp of the exact value; see the module)."""
    x = np.float32(x)
    # beyond these bounds the float32 result is inf or 0 anyway; NaN passes (comparisons are false)
    x = _EXP_MAX if x > _EXP_MAX else x
    x = _EXP_MIN if x < _EXP_MIN else x
    e, n = _exp_parts(x)
    return _ldexp32(e, n)


@njit(cache=True, fastmath={"contract"})
def tanh32(x):
    """np.tanh of a float32 number, as a float32 (within 2 ulp of the exact value; see the module)."""
    x = np.float32(x)
    a = abs(x)
    # small |x|: the odd polynomial, relative accuracy down to the subnormals (x**3 may underflow)
    s = a * a
    q = _Q4
    q = q * s + _Q3
    q = q * s + _Q2
    q = q * s + _Q1
    q = q * s + _Q0
    small = a + a * (s * q)
    # larger |x|: 1 - 2 / (e**2|x| + 1); both branches are computed (a vector loop does that
    # anyway) and one is selected.  NaN passes the clamp and both branches give NaN
    b = _TANH_ONE if a > _TANH_ONE else a
    e, n = _exp_parts(b + b)
    # np.true_divide: `/` would check for a zero divisor and raise, which keeps the loop scalar
    big = _ONE - np.true_divide(_TWO, _ldexp32(e, n) + _ONE)
    return math.copysign(small if a < _TANH_POLY else big, x)
