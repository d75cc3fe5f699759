"""Forward mode and second derivatives after a global (or a class number an object's method reads)
is rebound: jvp, jacfwd, hessian, hvp, grad of grad and derivatives of s2sgrad.grad(f) give the new
value's numbers, as f.grad does (their forward compilations kept the old value: a stale number)."""
import numpy as np
import pytest

import s2sgrad

K = 2.0
X = np.array([0.5, -1.0, 2.0])
T = np.ones(3)


def cubed(x):
    return np.sum(x ** 3) * K


def scalar_cubed(x):
    return x ** 3 * K


class Layer:
    gain = 0.5

    def __init__(self, W):
        self.W = W

    def __call__(self, x):
        return np.tanh(self.W @ x) * self.gain


def through_layer(layer, x):
    return np.sum(layer(x) ** 3)


@pytest.fixture
def rebind_k():
    global K
    old = K

    def set_k(v):
        global K
        K = v
    yield set_k
    K = old


def _all(k):
    g = s2sgrad.grad(cubed)
    return {"jvp": s2sgrad.jvp(cubed, (X,), (T,))[1], "hessian": np.diag(s2sgrad.hessian(cubed)(X)),
            "hvp": s2sgrad.hvp(cubed, (X,), T), "jacfwd": s2sgrad.jacfwd(cubed)(X),
            "jacfwd of grad": np.diag(s2sgrad.jacfwd(g)(X)), "jvp of grad": s2sgrad.jvp(g, (X,), (T,))[1],
            "grad of grad": s2sgrad.grad(s2sgrad.grad(scalar_cubed))(1.5)}


def _want(k):
    return {"jvp": np.sum(3 * X ** 2) * k, "hessian": 6 * X * k, "hvp": 6 * X * k, "jacfwd": 3 * X ** 2 * k,
            "jacfwd of grad": 6 * X * k, "jvp of grad": 6 * X * k, "grad of grad": 6 * 1.5 * k}


def test_rebinding_a_global_recompiles_forward_and_second_order(rebind_k):
    for k in (2.0, 5.0, 3.0):
        rebind_k(k)
        got, want = _all(k), _want(k)
        for name in want:
            assert np.allclose(got[name], want[name], rtol=1e-12), (name, k, got[name], want[name])


def test_rebinding_a_class_number_recompiles_the_hessian():
    r = np.random.default_rng(12)
    layer, x = Layer(r.standard_normal((3, 3))), r.standard_normal(3)
    hess, g = s2sgrad.hessian(through_layer, wrt="x"), s2sgrad.grad(through_layer, wrt="x")
    try:
        for gain in (0.5, 2.0):
            Layer.gain = gain
            eps = 1e-6
            fd = np.stack([(g(layer, x + eps * e) - g(layer, x - eps * e)) / (2 * eps) for e in np.eye(3)], -1)
            assert np.allclose(hess(layer, x), fd, rtol=1e-5, atol=1e-8)
    finally:
        Layer.gain = 0.5
