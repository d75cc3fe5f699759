"""Survey 16 (30 programs l01-l30, written by a helper; kept outside tests/real_programs): the hvp
through np.nansum of data holding NaN was nan.  np.nansum's tangent was np.nansum(np.where(nan_x,
0.0, dx)), whose reverse sweep masked with isnan of that masked tangent -- never NaN -- and lost the
mask that matters, so 0 * nan reached the gradient; the tangent is now a plain sum of the masked dx
(rules/reductions._nan_jvp).  Against hand-derived Hessians and differences of the gradient."""
import warnings

import numpy as np
import pytest

from s2sgrad import differentiate, hvp, jvp

RAW = np.array([[1.0, np.nan, 2.0], [0.5, 1.5, np.nan], [np.nan, 2.5, 1.0]])


def weighted_squares(g):
    return np.nansum((g[:, None] * RAW) ** 2)


def exp_rows(g):
    return np.nansum(np.exp(g[:, None] * RAW), axis=1).sum()


def sqrt_shifted(x):
    return np.nansum(np.sqrt(x - 1))  # NaN where x < 1 (known left open until 2026-12-01)


def _fd_of_grad(fn, x, v):
    grad = differentiate(fn).grad
    return (grad(x + 1e-5 * v) - grad(x - 1e-5 * v)) / 2e-5


def test_hvp_through_nansum_of_nan_data_is_the_hand_derived_one():
    g, v = np.array([1.1, 0.9, 1.3]), np.array([0.3, -0.7, 0.5])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        got = hvp(weighted_squares, (g,), v)
    np.testing.assert_allclose(got, 2 * np.nansum(RAW ** 2, axis=1) * v, rtol=1e-12)  # [3.0, -3.5, 7.25]


@pytest.mark.parametrize("fn, x, v", [
    (exp_rows, np.array([1.1, 0.9, 1.3]), np.array([0.3, -0.7, 0.5])),
    (sqrt_shifted, np.array([0.5, 2.0, 3.0, 0.9]), np.array([0.3, -0.7, 0.5, 1.0])),
])
def test_hvp_and_jvp_through_nansum_match_differences(fn, x, v):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        got = hvp(fn, (x,), v)
        fd = _fd_of_grad(fn, x, v)
        tangent = jvp(fn, (x,), (v,))[1]
        g = differentiate(fn).grad(x)
    assert np.all(np.isfinite(got))
    np.testing.assert_allclose(got, fd, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(tangent, np.dot(g, v), rtol=1e-12)
