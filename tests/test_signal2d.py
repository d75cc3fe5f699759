"""scipy.signal.convolve2d and correlate2d (rules/signal2d.py): the rewriting the adjoints rest on
(runtime_signal2d.py's docstring) against scipy's own values over every mode and boundary for
inputs and kernels of 1 to 4 rows and columns; gradients in both arguments against finite
differences and forward mode against reverse (check_grads); a differentiated fillvalue refused."""
import numpy as np
import pytest
from scipy.signal import convolve2d, correlate2d

from s2sgrad import differentiate
from s2sgrad.errors import S2SGradError
from s2sgrad.runtime_signal2d import _setup
from s2sgrad.testing import check_grads

RNG = np.random.default_rng(31)
MODES = ("full", "same", "valid")
BOUNDARIES = ("fill", "wrap", "symm")


def _rewritten(x, k, op, mode, boundary, fill):
    _, kk, xp, window, _, _ = _setup(x, k, op, mode, boundary, fill)
    return convolve2d(xp, kk, "valid")[window]


@pytest.mark.parametrize("op,scipy_op", [("convolve", convolve2d), ("correlate", correlate2d)])
def test_the_rewriting_is_scipys_value(op, scipy_op):
    checked = 0
    for m, n, kh, kw in np.ndindex(4, 4, 4, 4):
        x, k = RNG.standard_normal((m + 1, n + 1)), RNG.standard_normal((kh + 1, kw + 1))
        for mode in MODES:
            for boundary in BOUNDARIES:
                try:
                    want = scipy_op(x, k, mode, boundary, 0.3)
                except ValueError:  # (valid of shapes neither of which holds the other)
                    continue
                np.testing.assert_allclose(_rewritten(x, k, op, mode, boundary, 0.3), want, rtol=1e-12, atol=1e-12)
                checked += 1
    assert checked > 1000


def conv(x, k, mode, boundary):
    return np.sum(np.sin(convolve2d(x, k, mode=mode, boundary=boundary)))


def corr(x, k, mode, boundary):
    return np.sum(np.sin(correlate2d(x, k, mode, boundary, 0.3)))


@pytest.mark.parametrize("fn", [conv, corr])
@pytest.mark.parametrize("shapes", [(5, 4, 3, 2), (3, 3, 4, 4), (4, 6, 2, 3)])
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("boundary", BOUNDARIES)
def test_gradients(fn, shapes, mode, boundary):
    m, n, kh, kw = shapes
    x, k = RNG.standard_normal((m, n)), RNG.standard_normal((kh, kw))
    check_grads(fn, (x, k, mode, boundary), wrt=(0, 1))


def gabor_energy(img, kernels):  # the sixth survey's u11, in short
    responses = [convolve2d(img, k, mode="same", boundary="symm") for k in kernels]
    return np.mean(np.sqrt(sum(r ** 2 for r in responses) + 1e-8))


def test_a_filter_bank():
    check_grads(gabor_energy, (RNG.standard_normal((6, 7)), [RNG.standard_normal((3, 3)) for _ in range(3)]),
                wrt=(0, 1))


def fill_differentiated(x, k, v):
    return np.sum(convolve2d(x, k, "full", "fill", v))


def test_a_differentiated_fillvalue_is_refused():
    with pytest.raises(S2SGradError, match="a differentiated fillvalue"):
        differentiate(fill_differentiated, wrt=(0, 2)).grad(RNG.standard_normal((3, 3)), np.ones((2, 2)), 0.5)
