"""Helpers wrapped by a decorator of the user's (functools.wraps sets __wrapped__ to the function it
wraps): what runs is the wrapper, so the wrapper is what is differentiated -- inspect would follow
__wrapped__ to the inner function's source and leave the decorator's work out (survey 14: the value
14 where Python gives 7).  And a parameter named `np`, which the generated code reads as numpy."""
import functools

import numpy as np
import pytest

from s2sgrad import differentiate, hvp, jvp
from s2sgrad.errors import S2SGradError
from s2sgrad.testing import check_grads


def rescale(factor):
    def deco(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            return factor * fn(*args, **kwargs)
        return wrapper
    return deco


def shifted(fn):
    def wrapper(z):
        return fn(z + 1.0)
    return functools.update_wrapper(wrapper, fn)


@rescale(0.5)
def kinetic(v):
    return v ** 2


@shifted
def cube(v):
    return v ** 3


class Spring:
    @rescale(0.5)
    def energy(self, z):
        return np.sum(z ** 2)


def loss(x):
    return np.sum(kinetic(x)) + np.sum(cube(x)) + Spring().energy(x)


X = np.array([1.0, 2.0, 3.0])


def test_the_wrapper_runs_in_every_mode():
    value, g = differentiate(loss).value_and_grad(X)
    assert value == pytest.approx(loss(X), rel=1e-14)
    assert value == pytest.approx(0.5 * 14 + np.sum((X + 1) ** 3) + 0.5 * 14)
    np.testing.assert_allclose(g, X + 3 * (X + 1) ** 2 + X, rtol=1e-14)
    check_grads(loss, (X,))
    _, t = jvp(loss, (X,), (np.ones(3),))
    assert t == pytest.approx(np.sum(X + 3 * (X + 1) ** 2 + X))
    np.testing.assert_allclose(hvp(loss, (X,), np.ones(3)), 1 + 6 * (X + 1) + 1, rtol=1e-12)


@rescale(3.0)
def weighted(x, w=2.0, *, p=2):
    return np.sum(w * x ** p)


def test_a_decorated_function_differentiated_itself_is_its_wrapper():
    value, g = differentiate(kinetic).value_and_grad(2.0)  # (*args: called with kinetic's parameters)
    assert (value, g) == (pytest.approx(2.0), pytest.approx(2.0))
    value, g = differentiate(cube).value_and_grad(2.0)  # (a wrapper with named parameters: itself)
    assert (value, g) == (pytest.approx(27.0), pytest.approx(27.0))
    d = differentiate(weighted, wrt=("x", "w"))
    value, (gx, gw) = d.value_and_grad(X, 0.5, p=3)
    assert value == pytest.approx(weighted(X, 0.5, p=3), rel=1e-14)
    np.testing.assert_allclose(gx, 3.0 * 0.5 * 3 * X ** 2, rtol=1e-14)
    assert gw == pytest.approx(3.0 * np.sum(X ** 3))
    assert differentiate(weighted).value_and_grad(X)[0] == pytest.approx(weighted(X))  # (the defaults)
    check_grads(weighted, (X, 0.5), wrt=("x", "w"))


def np_parameter(x, np):  # noqa: F811 - the user's name for a number of particles
    return x[0] * np + x[1] ** 2


def test_a_parameter_named_np_is_refused():
    with pytest.raises(S2SGradError, match="a parameter named 'np'"):
        differentiate(np_parameter).value_and_grad(X, 2.0)
