"""s2sgrad.jit with the numba backend: training loops that call differentiated functions' gradients,
compiled whole, giving the plain loop's numbers; what it cannot compile refused at the user's line.
(Split from test_numba.py.)"""
import numpy as np
import pytest

numba = pytest.importorskip("numba", reason="numba is not installed (pip install s2sgrad[numba]): the numba "
                                            "backend's tests are skipped")

import s2sgrad  # noqa: E402
from numba_helpers import _assert_same  # noqa: E402
from s2sgrad import S2SGradError, differentiate  # noqa: E402


@differentiate
def square(x):
    return x ** 2


def descend(x, lr, steps):
    for i in range(steps):
        x = x - lr * square.grad(x)
    return x


@differentiate(wrt=("w", "b"))
def mse(w, b, x, y):
    y_hat = w * x + b
    return np.mean((y_hat - y) ** 2)


def fit(w, b, x, y, lr, epochs):
    losses = np.zeros(epochs)
    for e in range(epochs):
        loss, (gw, gb) = mse.value_and_grad(w, b, x, y)
        losses[e] = loss
        w = w - lr * gw
        b = b - lr * gb
    return w, b, losses


def test_jit_gradient_descent_gives_the_plain_result():
    train = s2sgrad.jit(descend)
    want = descend(10.0, 0.001, 5000)
    assert train(10.0, 0.001, 5000) == want  # the first call runs the function itself
    assert train(10.0, 0.001, 5000) == pytest.approx(want, rel=1e-14)  # compiled
    assert f"{train(10.0, 0.001, 5000):.10f}" == "0.0004494759"
    assert train.compile_seconds is not None
    assert "x = x - lr * square_grad(x)" in train.source and "@njit(cache=True)\ndef descend(" in train.source


def test_jit_linear_regression_matches_the_plain_loop():
    x = np.linspace(-1, 1, 50)
    y = 3 * x + 0.8
    train = s2sgrad.jit(fit)
    want = fit(0.0, 0.0, x, y, 0.1, 3000)
    train(0.0, 0.0, x, y, 0.1, 3000)
    got = train(0.0, 0.0, x, y, 0.1, 3000)
    assert len(train._compiled) == 1
    _assert_same(got, want)
    assert abs(got[0] - 3) < 1e-9 and abs(got[1] - 0.8) < 1e-9


SHIFT = np.ones(3)


@differentiate
def sumsq(x):
    return np.sum(x ** 2)


def uses_global_array(x, steps):
    for i in range(steps):
        x = x - 0.1 * square.grad(x) * SHIFT[0]
    return x


def shapes_change(x, steps):
    total = 0.0
    for i in range(1, steps):
        total += np.sum(sumsq.grad(x[:i]))
    return total


def test_jit_refuses_a_global_array_at_its_line():
    train = s2sgrad.jit(uses_global_array)
    with pytest.raises(S2SGradError) as info:
        train(1.0, 3)
    msg = str(info.value)
    assert "test_numba_jit.py:" in msg and "SHIFT" in msg and "pass it as an argument" in msg and "^" in msg


def test_jit_refuses_a_call_site_whose_shapes_change():
    with pytest.raises(S2SGradError, match="two argument signatures"):
        s2sgrad.jit(shapes_change)(np.ones(4), 4)


def test_jit_rejects_other_uses_of_a_differentiated_function():
    def calls_vjp(x):
        return square.vjp(x)
    with pytest.raises(S2SGradError, match="not square.vjp"):
        s2sgrad.jit(calls_vjp)



def noisy_descent(x, steps):
    for i in range(steps):
        x = x - 0.1 * (square.grad(x) + np.random.normal(0.0, 0.01))
    return x


def test_jit_refuses_random_draws_and_falls_back_when_asked():
    with pytest.raises(S2SGradError, match="own random generator") as e:
        s2sgrad.jit(noisy_descent)(1.0, 3)
    assert "np.random.normal" in str(e.value) and "^" in str(e.value)
    train = s2sgrad.jit(noisy_descent, fallback=True)
    with pytest.warns(UserWarning, match="runs in Python"):
        train(1.0, 3)
    np.random.seed(1)
    got = train(1.0, 3)
    np.random.seed(1)
    assert got == noisy_descent(1.0, 3)


LR = 0.1


def descend_global_rate(x, steps):
    for i in range(steps):
        x = x - LR * square.grad(x)
    return x


def test_jit_rebinding_a_number_it_read_recompiles():
    global LR
    train = s2sgrad.jit(descend_global_rate)
    train(1.0, 10)
    assert train(1.0, 10) == pytest.approx(0.8 ** 10, rel=1e-14)
    try:
        LR = 0.2
        assert train(1.0, 10) == pytest.approx(0.6 ** 10, rel=1e-14)  # not the old code with 0.1 inlined
        assert train(1.0, 10) == pytest.approx(0.6 ** 10, rel=1e-14)
    finally:
        LR = 0.1


@differentiate
def median_loss(x):
    return np.median(x) * np.sum(x)


def loop_with_median(x, steps):
    for i in range(steps):
        x = x - 0.1 * median_loss.grad(x)
    return x


def test_jit_names_the_gradients_line_when_its_code_cannot_be_compiled():
    with pytest.raises(S2SGradError) as info:
        s2sgrad.jit(loop_with_median)(np.arange(1.0, 5.0), 2)
    msg = str(info.value)
    assert "return np.median(x) * np.sum(x)" in msg and "quantile_grad" in msg


def test_jit_fallback_true_warns_and_runs_the_function_in_python():
    train = s2sgrad.jit(uses_global_array, fallback=True)
    with pytest.warns(UserWarning, match="runs in Python"):
        got = train(1.0, 3)
    assert got == uses_global_array(1.0, 3)
    assert train(1.0, 3) == got
