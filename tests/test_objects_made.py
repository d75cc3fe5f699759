"""Objects made in the differentiated function (issue: breadth, item 2): `Lin(W, b)(x)`,
`layer = Lin(W); layer(x)`, a dataclass, an object per loop pass.  The `__init__` is inlined (its
attribute assignments become local names); anything else in it is refused at the construction
line, naming the __init__ line and what to write instead."""
from dataclasses import dataclass

import numpy as np
import pytest

from s2sgrad import differentiate
from s2sgrad.errors import UnsupportedSyntaxError
from s2sgrad.testing import LAST_FORWARD_CHECK, check_grads

rng = np.random.default_rng(21)
W, B, X = rng.standard_normal((3, 2)), rng.standard_normal(2), rng.standard_normal((4, 3))


class Lin:
    def __init__(self, W, b=0.0):
        self.W = W
        self.b = b

    def __call__(self, x):
        return x @ self.W + self.b


class Scaled:
    def __init__(self, W, s):
        """A computed attribute."""
        self.W = W * s
        self.s = s

    def forward(self, x):
        return np.tanh(x @ self.W)


@dataclass
class Params:
    W: np.ndarray
    scale: float = 2.0


def called_at_once(W, b, x):
    return np.sum(Lin(W, b)(x) ** 2)


def named(W, x):
    layer = Lin(W)
    y = layer(x)
    return np.sum(y ** 2) + np.sum(layer.W)


def computed(W, x):
    s = Scaled(W, 3.0)
    return np.sum(s.forward(x)) * s.s


def per_pass(W, x):
    t = 0.0
    for i in range(3):
        layer = Lin(W * (i + 1))
        t = t + np.sum(np.sin(layer(x)))
    return t


def rebound_after(W, x):
    layer = Lin(W)
    W = W * 2  # the layer keeps the W it was made with, as in Python
    return np.sum(layer(x) * np.sum(W))


def dataclass_made(W, x):
    p = Params(W * 3)
    return np.sum(np.tanh(x @ p.W)) * p.scale


@pytest.mark.parametrize("fn,args", [(called_at_once, (W, B, X)), (named, (W, X)), (computed, (W, X)),
                                     (per_pass, (W, X)), (rebound_after, (W, X)), (dataclass_made, (W, X))])
def test_gradients(fn, args):
    assert check_grads(fn, args) < 1e-5
    assert LAST_FORWARD_CHECK["result"] == "agrees"  # forward mode inlines the same __init__ and methods
    assert differentiate(fn).value_and_grad(*args)[0] == pytest.approx(fn(*args), rel=1e-13)


def test_known_gradient_and_readable_code():
    g = differentiate(called_at_once, wrt=("W", "b")).grad(W, B, X)
    y = X @ W + B
    assert np.allclose(g[0], X.T @ (2 * y)) and np.allclose(g[1], 2 * y.sum(axis=0))
    src = differentiate(computed).compiled_for(W, X).value_and_grad_source
    assert "scaled_W = W * 3.0" in src and "obj_new" not in src and "# grad of: s = Scaled(W, 3.0)" in src


class WithBranch:
    def __init__(self, W):
        if W.shape[0] > 2:
            self.W = W
        else:
            self.W = W * 2


class ReadsSelf:
    def __init__(self, W):
        self.W = W
        self.b = self.W * 2


class Loops:
    def __init__(self, W):
        for i in range(2):
            W = W * 2
        self.W = W


class Module:
    pass


class Checked(Module):
    def __init__(self, W):
        super().__init__()
        assert W.ndim == 2, "a matrix"
        self.W = W


class Base:
    def __init__(self, W):
        self.W = W


class Derived(Base):
    def __init__(self, W, b):
        super().__init__(W)
        self.b = b


def branchy(W):
    return np.sum(WithBranch(W).W)


def reads_self(W):
    return np.sum(ReadsSelf(W).W)


def loops(W):
    return np.sum(Loops(W).W)


def checked(W):
    return np.sum(np.sin(Checked(W).W))


def derived(W):
    return np.sum(Derived(W, 1.0).W)


def test_super_init_of_object_and_asserts_in_init():
    assert check_grads(checked, (W,)) < 1e-5
    with pytest.raises(AssertionError, match="a matrix"):
        differentiate(checked).grad(np.ones(3))


def returned(W):
    return Lin(W)


def test_an_init_with_a_branch_or_a_loop():
    # (refused before: only assignments were inlined; an attribute set in either branch is one name)
    for shape in ((3, 2), (2, 2)):
        Wx = np.random.default_rng(1).standard_normal(shape)
        assert check_grads(branchy, (Wx,)) < 1e-6
        np.testing.assert_allclose(differentiate(branchy).grad(Wx), np.ones(shape) * (1 if shape[0] > 2 else 2))
    np.testing.assert_allclose(differentiate(loops).grad(W), 4 * np.ones_like(W))


def test_super_init_of_a_parent_with_one_is_inlined():
    # (it was refused: "super().__init__(...) of 'Base'"; the parent's __init__ runs for the same object)
    np.testing.assert_allclose(differentiate(derived).grad(W), np.ones_like(W))


@pytest.mark.parametrize("fn,message,line", [
    (reads_self, "the __init__ reads self", "return np.sum(ReadsSelf(W).W)"),
    (returned, "made in the function, used as a value", "return Lin(W)"),
])
def test_refused_at_the_construction_line(fn, message, line):
    with pytest.raises(UnsupportedSyntaxError) as e:
        differentiate(fn).grad(W)
    text = str(e.value)
    assert message in text and line in text and "test_objects_made.py:" in text
    if fn is not returned:
        assert "pass it as an argument" in text


class SetThenBranch:
    def __init__(self, W, c):
        self.W = W
        if c:
            self.W = W * 3


def set_then_branch(W, c):
    return np.sum(SetThenBranch(W, c).W)


def test_an_attribute_set_then_set_again_in_a_branch():
    np.testing.assert_allclose(differentiate(set_then_branch, wrt=0).grad(W, True), 3 * np.ones_like(W))
    np.testing.assert_allclose(differentiate(set_then_branch, wrt=0).grad(W, False), np.ones_like(W))
