"""Regressions from the sixth survey of real programs (tests/real_programs/u01-u40), failing on the
code before:
- np.bincount(bins, weights=c), sliced and combined with another array: its length is bins.max() + 1,
  which shape inference took from placeholders (all ones: length 2), so r[1:] * w[1:] summed r's
  adjoint to one number -- every weight got sum(w[1:]) (a silent wrong gradient; the Cahn-Hilliard
  program's radial spectrum).  Rows whose length depends on their argument's values have a shape
  known at run time only now."""
import numpy as np
import pytest

from s2sgrad import differentiate
from s2sgrad.testing import check_grads

BINS = np.array([0, 1, 1, 2, 2, 2, 0, 1])
W = np.array([0.3, -1.2, 0.7])


def sliced_mul(c):
    r = np.bincount(BINS, weights=c)
    return np.sum(r[1:] * W[1:])


def mean_per_bin(c):
    r = np.bincount(BINS, weights=c) / np.bincount(BINS)
    return np.sum(r[1:] * W[1:])


def beyond_minlength(c):
    r = np.bincount(BINS, weights=c, minlength=2)
    return np.sum(r[1:] * W[1:])


@pytest.mark.parametrize("fn", [sliced_mul, mean_per_bin, beyond_minlength])
def test_bincount_of_a_length_known_at_run_time(fn):
    c = np.random.default_rng(0).random(8) + 0.5
    check_grads(fn, (c,))
    if fn is sliced_mul:
        np.testing.assert_allclose(differentiate(fn).grad(c), np.r_[0.0, W][BINS + 1] * (BINS > 0))


def gaussian_on_a_grid(s):
    Y, X = np.mgrid[0:4, 0:5]
    g = np.exp(-((X - 2.0) ** 2 + (Y - 1.5) ** 2) / (2 * s ** 2))
    yy, xx = np.ogrid[0:4, 0:5]
    t = np.mgrid[0:1:5j]
    return np.sum(g * (xx + yy)) + np.sum(t * s)


def test_mgrid_and_ogrid():
    # (refused before: "'np.mgrid' (MGridClass) used as a value"; three programs of the survey)
    check_grads(gaussian_on_a_grid, (0.8,))
    Y, X = np.mgrid[0:4, 0:5]
    s = 0.8
    g = np.exp(-((X - 2.0) ** 2 + (Y - 1.5) ** 2) / (2 * s ** 2))
    by_hand = np.sum(g * ((X - 2.0) ** 2 + (Y - 1.5) ** 2) / s ** 3 * (X + Y)) + np.sum(np.linspace(0, 1, 5))
    assert differentiate(gaussian_on_a_grid).grad(s) == pytest.approx(by_hand, rel=1e-12)


def step_params(lr, w0):
    params = [w0, w0 * 0.5]
    params = [p - lr * p for p in params]  # reads the old params
    return np.sum(params[0] ** 2) + np.sum(params[1] ** 2)


def test_a_list_bound_to_a_comprehension_over_itself():
    # (refused before: "a loop over the list 'params' that is appended to later" -- the list was
    # built in place of the one it reads)
    w0 = np.array([0.3, -0.2, 0.5])
    fd = (step_params(0.1 + 1e-6, w0) - step_params(0.1 - 1e-6, w0)) / 2e-6
    assert differentiate(step_params, wrt=0).grad(0.1, w0) == pytest.approx(fd, rel=1e-8)
    check_grads(step_params, (0.1, w0), wrt=(0, 1))
