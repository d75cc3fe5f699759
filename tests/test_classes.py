"""Classes (issue 10, item 4): a bound method differentiated with respect to its object's
attributes; helper methods, @property, @staticmethod and inherited methods inlined; a dataclass of
parameters as a container."""
from dataclasses import dataclass

import numpy as np
import pytest

from s2sgrad import differentiate

rng = np.random.default_rng(11)
X = rng.standard_normal((6, 3))
Y = rng.standard_normal((6, 1))


class Base:
    def act(self, h):
        return np.tanh(h)


class MLP(Base):
    def __init__(self):
        self.W1 = rng.standard_normal((3, 4))
        self.b1 = rng.standard_normal(4)
        self.W2 = rng.standard_normal((4, 1))
        self.name, self.depth = "mlp", 2

    @property
    def scale(self):
        return 0.25 * self.depth

    @staticmethod
    def mse(a, b):
        return np.mean((a - b) ** 2)

    def forward(self, X):
        return self.act(X @ self.W1 + self.b1) @ self.W2 * self.scale

    def loss(self, X, y):
        return self.mse(self.forward(X), y)


def fd_attr(model, attr, direction, eps=1e-6):
    w0 = getattr(model, attr).copy()
    setattr(model, attr, w0 + eps * direction)
    plus = model.loss(X, Y)
    setattr(model, attr, w0 - eps * direction)
    minus = model.loss(X, Y)
    setattr(model, attr, w0)
    return (plus - minus) / (2 * eps)


def test_bound_method_wrt_attributes():
    m = MLP()
    f = differentiate(m.loss, wrt=("W1", "b1"))
    value, (gW1, gb1) = f.value_and_grad(X, Y)
    assert value == pytest.approx(m.loss(X, Y), rel=1e-14)
    for attr, g in (("W1", gW1), ("b1", gb1)):
        d = rng.standard_normal(g.shape)
        assert np.sum(g * d) == pytest.approx(fd_attr(m, attr, d), rel=1e-6)
    assert f(X, Y) == m.loss(X, Y)  # calling it calls the method


def test_default_wrt_is_every_array_attribute():
    m = MLP()
    g = differentiate(m.loss).grad(X, Y)
    assert list(g) == ["W1", "b1", "W2", "name", "depth"]
    assert g["name"] is None and g["depth"] is None
    d = rng.standard_normal((4, 1))
    assert np.sum(g["W2"] * d) == pytest.approx(fd_attr(m, "W2", d), rel=1e-6)


def test_generated_code_reads_the_attributes_once():
    m = MLP()
    f = differentiate(m.loss, wrt="W1")
    f.grad(X, Y)
    src = f.grad_source
    assert "W1 = self.W1" in src and "def loss_value_and_grad(self, X, y)" in src


def test_a_new_attribute_shape_recompiles():
    m = MLP()
    f = differentiate(m.loss, wrt="W2")
    f.grad(X, Y)
    m.W1, m.b1, m.W2 = rng.standard_normal((3, 5)), rng.standard_normal(5), rng.standard_normal((5, 1))
    value, g = f.value_and_grad(X, Y)
    assert value == pytest.approx(m.loss(X, Y), rel=1e-14) and g.shape == (5, 1)


@dataclass
class Params:
    w: np.ndarray
    b: float


def linear(p, x):
    return np.sum((x @ p.w + p.b) ** 2)


def test_a_dataclass_is_a_container():
    p = Params(rng.standard_normal(3), 0.5)
    g = differentiate(linear).grad(p, X)
    r = X @ p.w + p.b
    np.testing.assert_allclose(g["w"], 2 * X.T @ r)
    assert g["b"] == pytest.approx(2 * np.sum(r))


class Scaled:
    def __init__(self, w):
        self.w = w

    def loss(self, x):
        return np.sum(np.sum(self.w * x, axis=0) ** 2)


def test_the_signature_key_holds_the_attributes_shapes():
    # the same object with a new attribute shape must not reuse code compiled for the old one
    m = Scaled(np.ones((2, 3)))
    f = differentiate(m.loss, wrt="w")
    x = np.ones((2, 3))
    f.grad(x)
    m.w = np.ones(3) * 2.0
    g = f.grad(x)
    assert g.shape == (3,)
    np.testing.assert_allclose(g, 2 * np.sum(m.w * x, axis=0) * x.sum(axis=0))
