"""Defaults of nested functions and lambdas that are not constants (frontend/closures.py,
LocalFunction.define_defaults): evaluated where the function is defined, as Python does, into a
variable a call leaving the parameter out passes.  `lambda t, c=centres[k]: ...`, the
default-argument idiom that binds a loop's value, and `def step(u, h=dt * 0.5)`.

Checked against Python and central differences along random directions; forward mode against
reverse."""
import numpy as np
import pytest

from s2sgrad import differentiate, jvp

X = np.array([0.3, -0.7, 1.1])
W = 0.9


def table_of_lambdas(x, width):
    centres = np.linspace(-1.0, 1.0, 3) * width
    basis = [lambda t, c=centres[0]: np.exp(-(t - c) ** 2), lambda t, c=centres[2]: np.exp(-(t - c) ** 2 / width)]
    return sum(np.sum(phi(x)) for phi in basis)


def evaluated_when_defined(x, width):
    scales = [width * 2.0, width * 3.0]
    fs = [lambda t, s=scales[0]: np.sum(t * s), lambda t, s=scales[1]: np.sum(t * s)]
    scales[0] = 7.0  # (the default was read before: Python's fs[0] still scales by 2 * width)
    return fs[0](x) + fs[1](x) + scales[0]


def nested_def_default(x, width):
    dt = 0.1 * width

    def step(u, h=dt * 0.5, k=2):
        return u + h * np.sin(u) * k
    dt = 99.0  # (rebinding dt after the def leaves the default as it was)
    u = x * 1.0
    for _ in range(3):
        u = step(u)
    return np.sum(u ** 2) + step(x, h=width)[0]


def defined_in_a_loop(x, width):
    total = 0.0
    for k in range(3):
        g = lambda t, a=x[k] * width: np.sum(np.tanh(t * a))
        total = total + g(x) + g(x * 2.0, a=width)  # (each pass's own default)
    return total


def keyword_and_positional(x, width):
    lo = np.min(x) * width
    clip = lambda t, floor=lo, power=2: np.sum(np.maximum(t, floor) ** power)
    return clip(x) + clip(x, power=3) + clip(x, lo * 0.5)


CASES = [table_of_lambdas, evaluated_when_defined, nested_def_default, defined_in_a_loop, keyword_and_positional]


@pytest.mark.parametrize("fn", CASES, ids=lambda f: f.__name__)
def test_reverse_against_differences(fn):
    value, (gx, gw) = differentiate(fn, wrt=(0, 1)).value_and_grad(X.copy(), W)
    assert value == pytest.approx(fn(X.copy(), W), rel=1e-12)
    rng = np.random.default_rng(11)
    eps = 1e-6
    for _ in range(3):
        v, s = rng.standard_normal(X.shape), rng.standard_normal()
        fd = (fn(X + eps * v, W + eps * s) - fn(X - eps * v, W - eps * s)) / (2 * eps)
        assert np.dot(gx, v) + gw * s == pytest.approx(fd, rel=1e-6, abs=1e-9)


@pytest.mark.parametrize("fn", CASES, ids=lambda f: f.__name__)
def test_forward_against_reverse(fn):
    gx, gw = differentiate(fn, wrt=(0, 1)).grad(X.copy(), W)
    v = np.random.default_rng(12).standard_normal(X.shape)
    value, tangent = jvp(fn, (X.copy(), W), (v, 0.5))
    assert value == pytest.approx(fn(X.copy(), W), rel=1e-12)
    assert tangent == pytest.approx(np.dot(gx, v) + 0.5 * gw, rel=1e-10, abs=1e-12)
