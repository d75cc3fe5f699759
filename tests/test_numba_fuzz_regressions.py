"""The numba backend's crashes found by the higher-order fuzzer: a seeded gradient through an axis
sum (`unbroadcast` of a (3, 1) cotangent onto (3, 4): numba's helper covered equal shapes only and
raised ValueError at run time), and a construct numba's own compiler fails on with a plain
IndexError (now the backend's refusal at the user's line, or numpy with fallback=True)."""
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

numba = pytest.importorskip("numba", reason="numba is not installed (pip install s2sgrad[numba]): the numba "
                                            "backend's tests are skipped")

from s2sgrad import differentiate  # noqa: E402
from s2sgrad.backends.numba.module import NumbaCompileError  # noqa: E402
from s2sgrad.runtime import unbroadcast  # noqa: E402


def row_sums(x, W, s):
    return np.sum(np.sum(W, axis=1)) + np.sum(np.mean(W * s, axis=0) * x)


@pytest.mark.parametrize("seed", [1.5, -0.25])
def test_a_seeded_gradient_through_axis_reductions(seed):
    rng = np.random.default_rng(0)
    x, W, s = rng.standard_normal(4), rng.standard_normal((3, 4)), 0.7
    got = differentiate(row_sums, wrt=("x", "W", "s"), backend="numba").grad(x, W, s, seed=seed)
    want = differentiate(row_sums, wrt=("x", "W", "s")).grad(x, W, s, seed=seed)
    for a, b in zip(got, want):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)


@st.composite
def broadcast_pair(draw):
    rank = draw(st.integers(1, 3))
    full = draw(st.lists(st.integers(1, 4), min_size=rank, max_size=rank))
    g = [n if draw(st.booleans()) else 1 for n in full]
    x = [n if draw(st.booleans()) else 1 for n in full]
    return tuple(g), tuple(x)


@settings(max_examples=60, deadline=None)
@given(broadcast_pair())
def test_the_numba_unbroadcast_is_runtimes(shapes):
    from numba import njit

    from s2sgrad.backends.numba.helpers import unbroadcast as nb_unbroadcast

    @njit
    def call(g, x):
        return nb_unbroadcast(g, x)
    gs, xs = shapes
    g = np.arange(1.0, 1.0 + np.prod(gs)).reshape(gs)
    x = np.zeros(xs)
    np.testing.assert_array_equal(call(g, x), unbroadcast(np.broadcast_to(g, np.broadcast_shapes(gs, xs)), x))


def scalar_then_array(x, s):
    s += np.exp(s)
    if s > -0.59:
        s *= x
    return np.sum(s)


def test_a_crash_inside_numbas_compiler_is_a_refusal_at_the_line():
    x, s = np.array([0.08, 0.87, 0.36, -0.26]), 0.13
    with pytest.raises(NumbaCompileError, match="backend='numba' cannot compile") as e:
        differentiate(scalar_then_array, wrt=("x", "s"), backend="numba").value_and_grad(x, s)
    # (numba's compiler crashed on this program's code before; since this stop's code generation it
    # reports the type it cannot unify: either way the refusal names the user's line)
    assert "test_numba_fuzz_regressions.py:63:" in str(e.value) and (
        "numba's compiler failed" in str(e.value) or "Cannot unify" in str(e.value))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        v, g = differentiate(scalar_then_array, wrt=("x", "s"), backend="numba", fallback=True).value_and_grad(x, s)
    v0, g0 = differentiate(scalar_then_array, wrt=("x", "s")).value_and_grad(x, s)
    np.testing.assert_allclose(v, v0, rtol=1e-14)
    for a, b in zip(g, g0):
        np.testing.assert_allclose(a, b, rtol=1e-14)
