"""Functions inside functions (issue 10, item 5): nested defs and closures over the enclosing
function's arrays, lambdas bound to names, functions passed to helpers (rk4(f, y, h)), default
arguments, keyword arguments at the call site, keyword-only parameters."""
import numpy as np
import pytest

import s2sgrad
from s2sgrad import differentiate


def rk4(f, y, h):
    k1 = f(y)
    k2 = f(y + 0.5 * h * k1)
    k3 = f(y + 0.5 * h * k2)
    k4 = f(y + h * k3)
    return y + h / 6.0 * (k1 + 2 * k2 + 2 * k3 + k4)


def oscillator(theta, y0, n=10, *, h=0.1):
    def rhs(y):
        return np.array([y[1], -theta * y[0]])  # closes over theta (differentiated)
    damp = lambda v, c=0.9: v * c  # noqa: E731
    y = y0
    for i in range(n):
        y = rk4(rhs, y, h)
        y = damp(y)
    return np.sum(y ** 2)


def fd(fn, x, *args, eps=1e-6, **kw):
    return (fn(x + eps, *args, **kw) - fn(x - eps, *args, **kw)) / (2 * eps)


def test_closure_lambda_and_a_function_passed_to_a_helper():
    y0 = np.array([1.0, 0.0])
    f = differentiate(oscillator)
    value, g = f.value_and_grad(1.3, y0)
    assert value == pytest.approx(oscillator(1.3, y0), rel=1e-14)
    assert g == pytest.approx(fd(oscillator, 1.3, y0), rel=1e-6)


def test_keyword_arguments_and_keyword_only_parameters():
    y0 = np.array([1.0, 0.5])
    g = differentiate(oscillator).grad(1.1, y0, n=4, h=0.25)
    assert g == pytest.approx(fd(oscillator, 1.1, y0, 4, h=0.25), rel=1e-6)


def step(x):
    return np.tanh(x) * 2.0


def apply_twice(f, x):
    return f(f(x))


def module_function_as_argument(x):
    return np.sum(apply_twice(step, x) + apply_twice(lambda t: t * t, x))


def test_module_level_function_and_inline_lambda_as_arguments():
    x = np.array([0.3, -0.2])
    g = differentiate(module_function_as_argument).grad(x)
    inner = np.tanh(x) * 2
    expect = 2 * (1 - np.tanh(inner) ** 2) * 2 * (1 - np.tanh(x) ** 2) + 4 * x ** 3
    np.testing.assert_allclose(g, expect)


def closure_over_constant_array(x):
    W = np.array([[1.0, 2.0], [3.0, 4.0]])

    def layer(v, scale=1.0):
        return np.tanh(W @ v) * scale
    return np.sum(layer(layer(x), scale=0.5))


def test_closure_over_a_local_array_with_default_and_keyword():
    x = np.array([0.1, -0.3])
    f = differentiate(closure_over_constant_array)
    d = np.array([0.7, -0.4])
    eps = 1e-6
    num = (closure_over_constant_array(x + eps * d) - closure_over_constant_array(x - eps * d)) / (2 * eps)
    assert np.sum(f.grad(x) * d) == pytest.approx(num, rel=1e-6)


def recursive(x):
    def fact(n):
        return x if n == 0 else x * fact(n - 1)
    return fact(3)


def test_recursion_is_refused_at_its_line():
    with pytest.raises(s2sgrad.UnsupportedSyntaxError, match="recursive call to 'fact'"):
        differentiate(recursive)
