"""Statements people leave in (issue 10, item 6): assert, raise, print, del, global, pass,
docstrings and annotations run in the forward sweep as written and never in the adjoint."""
import numpy as np
import pytest

import s2sgrad
from s2sgrad import differentiate

SCALE = 3.0


def everything(x: np.ndarray, k: float = 2.0) -> float:
    """A docstring."""
    global SCALE
    assert x.ndim == 1, "x must be a vector"
    if np.any(x < -10.0):
        raise ValueError(f"x too small: {np.min(x)}")
    y: np.ndarray = np.sin(x) * k * SCALE
    print("y is", y)
    tmp = y * 2.0
    del tmp
    pass
    return np.sum(y * y)


def test_effects_run_in_the_forward_sweep_only(capsys):
    x = np.array([0.1, -0.4, 0.7])
    f = differentiate(everything)
    value, g = f.value_and_grad(x)
    assert value == pytest.approx(everything(x))
    np.testing.assert_allclose(g, 2 * (np.sin(x) * 6.0) * np.cos(x) * 6.0)
    out = capsys.readouterr().out
    assert out.count("y is") == 2  # once by the plain call above, once by the forward sweep
    src = f.grad_source
    assert "assert x.ndim == 1, 'x must be a vector'" in src
    assert "raise ValueError('x too small: ' + str(np.min(x)))" in src
    assert src.count("print(") == 1


def test_assert_and_raise_fire_where_the_user_wrote_them():
    f = differentiate(everything)
    with pytest.raises(AssertionError, match="x must be a vector"):
        f.grad(np.ones((2, 2)))
    with pytest.raises(ValueError, match="x too small: -20.0"):
        f.grad(np.array([-20.0, 1.0]))


def raise_custom(x):
    raise s2sgrad.S2SGradError("mine")


def test_raise_of_a_non_builtin_exception_is_refused():
    with pytest.raises(s2sgrad.UnsupportedSyntaxError, match="builtin exception"):
        differentiate(raise_custom)


DATA = np.arange(12.0).reshape(4, 3) / 10
TARGET = np.ones((4, 2))


def module_arrays(W):
    return np.sum((DATA @ W - TARGET) ** 2)


def test_module_level_arrays_are_specialised_like_arguments():
    f = differentiate(module_arrays)
    W = np.ones((3, 2))
    np.testing.assert_allclose(f.grad(W), DATA.T @ (2 * (DATA @ W - TARGET)))
    src = f.grad_source
    assert "grad_W = DATA.T @ (2 * diff)" in src and "unbroadcast" not in src


def casts(x):
    mask = (x > 0).astype(float)
    keep = x.astype(bool)
    return np.sum(x * mask) + float(np.sum(x)) * 2 + np.sum(np.where(keep, x, 0.0))


def fill(x, n):
    out = np.zeros(n)
    for i in range(n):
        out[i] = x[i] * x[i] + 1.0
    return out


def stencil(u, steps=3):
    for s in range(steps):
        u_new = u.copy()
        u_new[1:-1] = u[1:-1] + 0.1 * (u[2:] - 2 * u[1:-1] + u[:-2])
        u = u_new
    return np.sum(fill(u, 3) * 2.0) + np.sum(u ** 2)


@pytest.mark.parametrize("fn,x", [(casts, np.array([0.3, -0.5, 0.8])),
                                  (stencil, np.array([0.0, 1.0, 0.5, 0.2, 0.0]))])
def test_patterns_once_refused_are_differentiated(fn, x):
    from s2sgrad.testing import check_grads
    check_grads(differentiate(fn), [x])
