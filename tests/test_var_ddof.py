"""np.var / np.std with ddof: the adjoint's scale 1 / (N - ddof).  Where N <= ddof (one sample
with ddof=1) numpy's value is NaN or inf with a warning; the gradient is NaN there too, not a
ZeroDivisionError of the Python numbers N - ddof (it raised in the generated code), and a float32
adjoint stays float32.  Elsewhere the gradients match finite differences, on both backends."""
import warnings

import numpy as np
import pytest

import s2sgrad
from s2sgrad import differentiate
from s2sgrad.testing import check_grads


def along_axis(x):
    return np.sum(np.var(x, axis=0, ddof=1)) + np.sum(np.std(x, axis=-1, ddof=1) ** 3 * x[:, 0])


def whole(x):
    return np.var(x, ddof=1) + np.std(x, ddof=2) * np.sum(x)


@pytest.mark.parametrize("fn", [along_axis, whole])
def test_gradients(fn):
    x = np.random.default_rng(4).standard_normal((4, 5))
    assert check_grads(fn, (x,)) < 1e-6


def _one_sample_axis(x):
    return np.sum(np.var(x, axis=0, ddof=1)) + np.sum(np.std(x, axis=0, ddof=1))


def _one_sample_whole(x):
    return np.var(x, ddof=1) + np.std(x, ddof=2)


@pytest.mark.parametrize("fn,x", [(_one_sample_axis, np.arange(3.0).reshape(1, 3)), (_one_sample_whole, np.ones(1)),
                                  (_one_sample_whole, np.array([1.0, 2.0]))])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_no_more_samples_than_ddof_is_not_finite_like_numpy(fn, x, dtype):
    x = x.astype(dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        plain = fn(x)
        value, g = differentiate(fn).value_and_grad(x)
        _, t = s2sgrad.jvp(fn, (x,), (np.ones_like(x),))
    assert not np.isfinite(plain) and not np.isfinite(value)
    assert g.dtype == dtype and g.shape == x.shape and not np.any(np.isfinite(g))
    assert not np.isfinite(t)


def test_numba_gives_numpys_numbers():
    pytest.importorskip("numba", reason="numba is not installed: the numba backend's half is skipped")
    x = np.random.default_rng(5).standard_normal((4, 5))
    for arg in (x, x.astype(np.float32)):
        v0, g0 = differentiate(along_axis).value_and_grad(arg)
        v1, g1 = differentiate(along_axis, backend="numba").value_and_grad(arg)
        rtol = 1e-12 if arg.dtype == np.float64 else 1e-5
        assert np.allclose(v0, v1, rtol=rtol) and g1.dtype == g0.dtype and np.allclose(g0, g1, rtol=rtol)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, g = differentiate(_one_sample_axis, backend="numba").value_and_grad(np.arange(3.0).reshape(1, 3))
    assert g.shape == (1, 3) and np.all(np.isnan(g))
