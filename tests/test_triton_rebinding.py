"""Triton backend: names rebound in a row-wise program (`z = z - z.max(axis=1, keepdims=True)`).

A rows kernel's phases look statements up by target: a statement reading its own target sent the
online-softmax analysis into endless recursion (a RecursionError from inside s2sgrad), and a name
defined twice in one kernel would make the lookup ambiguous.  The planner starts a new kernel where
a name is rebound after the kernel read or defined it; a statement reading its own target reads the
value the name had coming in.  Values and gradients against the numpy backend."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("triton")

from s2sgrad import differentiate  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")


def softmax_entropy(X, W):
    z = X @ W
    z = z - z.max(axis=1, keepdims=True)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    return np.sum(p * np.log(p + 1.0))


def rebound_mid_kernel(X):
    a = np.tanh(X)
    X = X * a
    s = X.sum(axis=1, keepdims=True)
    X = X - s
    return np.sum(np.exp(X) * a)


def rebound_rows(X):
    X = X - X.max(axis=1, keepdims=True)
    X = np.exp(X)
    X = X / X.sum(axis=1, keepdims=True)
    return np.sum(X * X)


@pytest.mark.parametrize("fn,wrt", [(softmax_entropy, ("X", "W")), (rebound_mid_kernel, "X"), (rebound_rows, "X")])
@pytest.mark.parametrize("dtype,tol", [(np.float64, 1e-12), (np.float32, 1e-4)])
def test_rebound_names_agree_with_the_numpy_backend(fn, wrt, dtype, tol):
    rng = np.random.default_rng(0)
    args = (rng.standard_normal((33, 40)), rng.standard_normal((40, 19)))[:2 if fn is softmax_entropy else 1]
    v, g = differentiate(fn, wrt=wrt, backend="triton").value_and_grad(*[a.astype(dtype) for a in args])
    v0, g0 = differentiate(fn, wrt=wrt).value_and_grad(*args)
    g, g0 = (g, g0) if isinstance(g0, tuple) else ((g,), (g0,))
    np.testing.assert_allclose(v, v0, rtol=tol)
    for a, b in zip(g, g0):
        np.testing.assert_allclose(np.asarray(a, np.float64), b, rtol=tol, atol=tol * np.abs(b).max())


def rebound_to_another_shape(x, W, s):
    x = np.where(np.tanh(W) > np.cos(x), np.cos(W), np.exp(np.clip(s * x, -3.0, 3.0)))
    return np.sum(np.exp(x - np.max(x, axis=1, keepdims=True)) * x)


def test_a_name_rebound_to_another_shape_is_planned_per_binding():
    """x is a vector, then a matrix: one abstract value per name made x's shape unknown, and every
    statement reading x ran on the host through torch.  Each binding now has its own name
    (rebind.py), and the row max and the row sum over the new x run in kernels."""
    rng = np.random.default_rng(0)
    x, W = rng.uniform(-1, 1, 40), rng.uniform(-1, 1, (3, 40))
    f = differentiate(rebound_to_another_shape, wrt=(0, 1, 2), backend="triton")
    v, g = f.value_and_grad(x, W, 0.7)
    v0, g0 = differentiate(rebound_to_another_shape, wrt=(0, 1, 2)).value_and_grad(x, W, 0.7)
    np.testing.assert_allclose(float(v), float(v0), rtol=1e-12)
    for a, b in zip(g, g0):
        np.testing.assert_allclose(np.asarray(a, float), np.asarray(b, float), rtol=1e-11, atol=1e-13)
    host = f.kernels_source.split("what stays on the host")[1]
    assert "np.max" not in host and "np.exp(x" not in host, host
