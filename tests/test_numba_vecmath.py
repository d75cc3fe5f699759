"""The numba backend's float32 vector math (s2sgrad/backends/numba/vecmath.py): exp32 and tanh32
within 1 ulp of the exact value and exact in their special values, compiled to float32 vector
loops, and a fused float32 loop that uses them agreeing with numpy.  (Split from test_numba.py.)"""
import math

import numpy as np
import pytest

numba = pytest.importorskip("numba", reason="numba is not installed (pip install s2sgrad[numba]): the numba "
                                            "backend's tests are skipped")

from s2sgrad import differentiate  # noqa: E402


def _ulps(a, b):
    """Distance in float32 units in the last place (ordered bit patterns; +0 and -0 are 0 apart)."""
    def ordered(v):
        i = np.ascontiguousarray(v, np.float32).view(np.int32).astype(np.int64)
        return np.where(i < 0, -(i & 0x7FFFFFFF), i)
    return np.abs(ordered(a) - ordered(b))


def _vecmath_each():
    from numba import njit

    @njit
    def each(f, x, out):
        for i in range(x.shape[0]):
            out[i] = f(x[i])
    return each


def _float32_range(lo, hi, step=1):
    """Every step-th float32 from lo to hi (same sign, both finite), in the order of their bits."""
    a, b = np.array([lo, hi], np.float32).view(np.int32).astype(np.int64)
    assert (max(a, b) - min(a, b)) // step < 5_000_000  # (a range across many binades is huge)
    return np.arange(min(a, b), max(a, b) + 1, step).astype(np.int32).view(np.float32)


def test_vectorisable_exp_and_tanh_are_within_one_ulp_over_the_float32_range():
    """vecmath.exp32 / tanh32 (what fused float32 loops call instead of expf / tanhf; float32
    arithmetic since issue 14's vector-width change) at every 1009th float32 bit pattern (all
    exponents, both signs, subnormals, inf, NaN) and at every float32 of the boundary regions: all
    of exp's subnormal results and the overflow edge, around 0, tanh's switch from polynomial to
    exp at 0.55 and its saturation to 1 near 9.  At most 1 ulp from the exact value (float64
    rounded once; an exhaustive run over all 2**32 inputs measured 1 ulp at most for both, with
    and without fused multiply-adds), NaN where numpy gives NaN, the sign numpy gives (tanh(-0.0)
    is -0.0), and so within 1 ulp more than numpy's own float32 loops are from the exact value."""
    from s2sgrad.backends.numba.vecmath import exp32, tanh32
    each = _vecmath_each()

    sample = np.arange(0, 2 ** 32, 1009, dtype=np.uint64).astype(np.uint32).view(np.float32)
    edges = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, 88.72283, 88.72284, -87.33654, -103.97208, -103.97209,
                      1e-30, -1e-30, 9.0, -9.0, 0.34657, -0.34657, 20.0, 1e-45], np.float32)
    # (lo, hi, step): every float32 there, or every step-th where the region spans many binades
    regions = {
        np.exp: [(-104.0, -87.0, 1),                   # every subnormal result, and the first zeros
                 (88.70, 88.75, 1),                    # the last finite results, the first infs
                 (-1e-3, -1e-45, 997), (1e-45, 1e-3, 997),  # e**x near 1 (n = 0, r tiny)
                 (0.33, 0.36, 1), (-0.36, -0.33, 1)],  # the n = 0 / ±1 switch at ln2/2
        np.tanh: [(1e-45, 1e-3, 997), (-1e-3, -1e-45, 997),  # relative accuracy near 0, the subnormals
                  (0.54, 0.56, 1), (-0.56, -0.54, 1),  # the polynomial / exp switch at 0.55
                  (8.9, 9.3, 1), (-9.3, -8.9, 1)],     # saturation to ±1
    }
    for fn, ref in ((exp32, np.exp), (tanh32, np.tanh)):
        x = np.concatenate([sample, edges] + [_float32_range(*region) for region in regions[ref]])
        assert x.size > 6_000_000, x.size
        out = np.empty_like(x)
        each(fn, x, out)
        with np.errstate(all="ignore"):
            exact, theirs = ref(x.astype(np.float64)).astype(np.float32), ref(x)
        np.testing.assert_array_equal(np.isnan(out), np.isnan(exact))
        ok = ~np.isnan(exact)
        assert _ulps(out[ok], exact[ok]).max() <= 1, ref.__name__
        assert (np.signbit(out[ok]) == np.signbit(exact[ok])).all(), ref.__name__
        assert _ulps(out[ok], theirs[ok]).max() <= _ulps(theirs[ok], exact[ok]).max() + 1, ref.__name__


def test_vectorisable_exp_and_tanh_special_values():
    """The special cases exactly: overflow to inf, underflow through the subnormals to +0.0, NaN,
    ±inf; tanh's -0.0, ±1 from 9.1 on, a subnormal x giving itself."""
    from s2sgrad.backends.numba.vecmath import exp32, tanh32
    each = _vecmath_each()

    def run(fn, vals):
        x = np.array(vals, np.float32)
        out = np.empty_like(x)
        each(fn, x, out)
        return out

    big = np.float32(88.72283)  # the largest float32 whose e**x is finite
    e = run(exp32, [np.inf, -np.inf, np.nan, 0.0, -0.0, np.nextafter(big, np.float32(np.inf)), big, 89.0, 1e30,
                    -103.97208, -103.97209, -104.0, -1e30, 1.0])
    assert e[0] == np.inf and e[1] == 0.0 and not np.signbit(e[1]) and np.isnan(e[2])
    assert e[3] == 1.0 and e[4] == 1.0
    assert e[5] == np.inf and np.isfinite(e[6]) and e[6] > 3.4e38 and e[7] == np.inf and e[8] == np.inf
    # float32(-103.97208) = -103.9720764: e**x is 7.0064970e-46, just above 2**-150 = 7.0064923e-46, so it
    # rounds up to the smallest subnormal 2**-149; the next float32 down gives 7.0063901e-46, rounded to 0
    assert e[9] == np.float32(2.0 ** -149)
    assert e[10] == 0.0 and e[11] == 0.0 and e[12] == 0.0 and not np.signbit(e[10:13]).any()
    assert e[13] == np.float32(math.e)
    sub = np.float32(3e-42)
    t = run(tanh32, [-0.0, 0.0, np.inf, -np.inf, np.nan, 9.1, -9.1, 1e30, sub, -sub, 1e-20])
    assert t[0] == 0.0 and np.signbit(t[0]) and t[1] == 0.0 and not np.signbit(t[1])
    assert t[2] == 1.0 and t[3] == -1.0 and np.isnan(t[4])
    assert t[5] == 1.0 and t[6] == -1.0 and t[7] == 1.0
    assert t[8] == sub and t[9] == -sub and t[10] == np.float32(1e-20)


def test_vectorisable_exp_and_tanh_compile_to_float32_vector_loops():
    """A loop applying exp32 or tanh32 becomes float32 vector instructions, with no float64 and no
    call per element: the reason these exist (float32 lanes are twice as many as float64's)."""
    import re

    from numba import njit

    from s2sgrad.backends.numba.vecmath import exp32, tanh32

    @njit
    def apply_exp(x, out):
        for i in range(x.shape[0]):
            out[i] = exp32(x[i])

    @njit
    def apply_tanh(x, out):
        for i in range(x.shape[0]):
            out[i] = tanh32(x[i])

    x = np.linspace(-5, 5, 64, dtype=np.float32)
    for f, ref in ((apply_exp, np.exp), (apply_tanh, np.tanh)):
        out = np.empty_like(x)
        f(x, out)
        assert _ulps(out, ref(x.astype(np.float64)).astype(np.float32)).max() <= 1
        llvm = f.inspect_llvm(f.signatures[0])
        assert " x float>" in llvm and "double" not in llvm, f.__name__
        calls = set(re.findall(r"call [^@]*@([\w.$]+)\(", llvm))
        per_element = {"expf", "tanhf", "exp", "tanh", "llvm.exp.f32", "llvm.exp.f64", "numba_do_raise"}
        assert not calls & per_element, calls


def swish_sum(x):
    return np.sum(np.tanh(x) * (1 / (1 + np.exp(-x))) + np.exp(-x ** 2))


def test_fused_float32_loop_uses_vector_math_and_agrees_with_numpy():
    """The float32 run of exp, tanh, arithmetic and a sum is one loop calling exp32 / tanh32 and a
    reassociable sum, compiled to vector instructions; its value and gradient are as close to the
    float64 truth as the numpy backend's float32 ones (the sum accumulates in float64)."""
    x = np.concatenate([np.random.default_rng(3).standard_normal(20000) * 4,
                        [0.0, -0.0, 1e-30, 30.0, -30.0, 88.0, -100.0]]).astype(np.float32)
    nb = differentiate(swish_sum, backend="numba")
    ref = differentiate(swish_sum)
    got, want = nb.value_and_grad(x), ref.value_and_grad(x)
    truth = ref.value_and_grad(x.astype(np.float64))
    src = nb.grad_source
    assert "fused: one pass" in src and "tanh32(" in src and "exp32(" in src and "sum_add32(" in src
    assert got[1].dtype == np.float32 and np.float32(got[0]) == got[0]
    assert abs(got[0] - truth[0]) <= max(abs(want[0] - truth[0]), 1e-6 * abs(truth[0]))
    # at -100 exp(-x) overflows float32: inf / inf is NaN on both backends
    np.testing.assert_array_equal(np.isnan(got[1]), np.isnan(want[1]))
    ok = ~np.isnan(want[1])
    scale = np.abs(truth[1][ok]).max()
    err_nb = np.abs(got[1][ok] - truth[1][ok]).max() / scale
    err_np = np.abs(want[1][ok] - truth[1][ok]).max() / scale
    assert err_nb <= 2 * err_np + 1e-7, (err_nb, err_np)
    import sys as _sys
    mod = next(m for k, m in _sys.modules.items() if k.startswith("s2sgrad_nb_") and hasattr(m, "swish_sum_value_and_grad"))
    from numba import njit
    fresh = njit(mod.swish_sum_value_and_grad.py_func)  # (the cached one keeps no LLVM text)
    fresh(x)
    llvm = fresh.inspect_llvm(fresh.signatures[0])
    # a vector loop, not a call per element: float32 lanes for the math and the blocks' partial
    # sums; a float64 accumulator in the loop made LLVM choose as many float lanes as double lanes
    import re
    floats = [int(n) for n in re.findall(r"<(\d+) x float>", llvm)]
    doubles = [int(n) for n in re.findall(r"<(\d+) x double>", llvm)]
    assert floats and max(floats) >= 4 and (not doubles or max(floats) >= 2 * max(doubles)), (floats, doubles)
    assert "sum_add32(" in src


def two_sums(x):
    s = np.sum(np.exp(-x * x) * 3.0)
    m = np.mean(np.tanh(x) - x)
    return s * m + np.sum(x * x)


@pytest.mark.parametrize("n", [511, 512, 1000, 4096 + 17])
def test_float32_sums_in_blocks_agree_with_the_float64_truth(n):
    """Sums of a fused float32 loop: per block of 256 in float32, across blocks in float64, the last
    elements in float64 (n < 512: one float64 sum, no blocks); two sums and a mean in one run."""
    x = (np.random.default_rng(n).standard_normal(n) * 2).astype(np.float32)
    nb, ref = differentiate(two_sums, backend="numba"), differentiate(two_sums)
    got, want, truth = nb.value_and_grad(x), ref.value_and_grad(x), ref.value_and_grad(x.astype(np.float64))
    src = nb.grad_source
    assert ("sum_add32(" in src) == (n >= 512) and ("the last" in src) == (n >= 512 and n % 256 != 0)
    assert got[1].dtype == np.float32
    assert abs(got[0] - truth[0]) <= max(2 * abs(want[0] - truth[0]), 2e-6 * abs(truth[0]))
    scale = np.abs(truth[1]).max()
    assert np.abs(got[1] - truth[1]).max() / scale <= 2 * np.abs(want[1] - truth[1]).max() / scale + 1e-6
