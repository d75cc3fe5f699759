"""Class hierarchies as PyTorch-style code writes them: `super().__init__(W)` in an __init__ (the
parent's __init__ inlined for the same object) and `super().forward(x)` in a method (the method
Python's super() finds along the object's class's MRO, after the class defining the caller),
checked against finite differences and forward mode."""
import numpy as np
import pytest

from s2sgrad import differentiate
from s2sgrad.errors import S2SGradError
from s2sgrad.testing import check_grads


class Layer:
    def __init__(self, W, b=0.0):
        self.W = W
        self.b = b

    def forward(self, x):
        return self.W @ x + self.b

    @staticmethod
    def act(z):
        return z

    def __call__(self, x):
        return self.act(self.forward(x))


class Tanh(Layer):
    @staticmethod
    def act(z):
        return np.tanh(z)

    def forward(self, x):
        return 2.0 * super().forward(x)


class Scaled(Tanh):
    def __init__(self, W, s):
        super().__init__(W, b=0.1)
        self.s = s

    def forward(self, x):
        return self.s * super().forward(x) + super().act(x[:1])


class Reset(Layer):
    def __init__(self, W):
        super().__init__(W, 1.0)
        self.b = -0.5  # (after super: this __init__'s value)


def net(W, x, s):
    return np.sum(Scaled(W, s)(x)) + np.sum(Tanh(W)(x)) + np.sum(Reset(W)(x))


def test_super_calls_are_the_methods_python_finds():
    W = np.random.default_rng(0).standard_normal((3, 3))
    x, s = np.array([0.3, -1.2, 0.8]), 1.7
    assert differentiate(net, wrt=("W", "x", "s")).value_and_grad(W, x, s)[0] == pytest.approx(net(W, x, s), rel=1e-14)
    check_grads(net, (W, x, s), wrt=("W", "x", "s"))


class Stateful(Layer):
    def __init__(self, W):
        super().__init__(W)
        self.b = self.W * 2  # (reads what the parent set: refused like any __init__ reading self)


def reads_self(W, x):
    return np.sum(Stateful(W)(x))


class Wrapped(list):
    def __init__(self, W):
        super().__init__([W])


def builtin_parent(W, x):
    return np.sum(Wrapped(W)[0] @ x)


def bare_super(W, x):
    return np.sum(super().forward(x))


@pytest.mark.parametrize("fn, words", [
    (reads_self, "the __init__ reads self"),
    (builtin_parent, "Wrapped"),
    (bare_super, "super()"),
])
def test_what_super_cannot_be_is_refused_at_its_line(fn, words):
    with pytest.raises(S2SGradError, match=words):
        differentiate(fn).value_and_grad(np.eye(2), np.ones(2))
