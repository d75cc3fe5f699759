"""Draws of numpy's global generator without a row of their own -- np.random.beta, permutation,
choice, randint, exponential, ... -- are kept as written, their results constants for
differentiation (refused before: "'np.random.beta' has no rule"; the fifth survey's mixup).  The
generated code must draw the very numbers the plain function draws under the same seed, on the
compiling call and after it, in reverse and forward mode (a checkpointed loop that draws is
refused, as for the draws with rows); a differentiated
value reaching a draw's parameters is refused, never given a zero."""
import numpy as np
import pytest

from s2sgrad import differentiate, jvp
from s2sgrad.errors import S2SGradError


def mixup(W, X, Y):
    lam = np.random.beta(0.4, 0.4)
    perm = np.random.permutation(len(X))
    Xm = lam * X + (1 - lam) * X[perm]
    Ym = lam * Y + (1 - lam) * Y[perm]
    return np.mean((np.tanh(Xm @ W) - Ym) ** 2)


def minibatches(w, X, y, steps):
    total = 0.0
    for _ in range(steps):
        idx = np.random.choice(len(X), size=4, replace=False)
        k = np.random.randint(1, 3)
        noise = np.random.exponential(0.1, size=4)
        total = total + np.sum((X[idx] @ w * k - y[idx]) ** 2 * (1 + noise))
    return total


def beta_of_w(w):
    return np.sum(np.random.beta(np.exp(w), 2.0))


RNG = np.random.default_rng(5)
W, X, Y = RNG.standard_normal((3, 2)), RNG.standard_normal((6, 3)), RNG.standard_normal((6, 2))


def _seeded(fn, *args, **kw):
    np.random.seed(3)
    return fn(*args, **kw)


def test_the_draws_are_the_plain_functions():
    d = differentiate(mixup)
    for _ in range(2):  # the compiling call, then the compiled code alone
        v, g = _seeded(d.value_and_grad, W, X, Y)
        assert v == _seeded(mixup, W, X, Y)
    h = 1e-6
    D = RNG.standard_normal(W.shape)
    fd = (_seeded(mixup, W + h * D, X, Y) - _seeded(mixup, W - h * D, X, Y)) / (2 * h)
    assert np.sum(g * D) == pytest.approx(fd, rel=1e-7)
    _, dot = _seeded(jvp, mixup, (W, X, Y), (D, None, None))
    assert dot == pytest.approx(fd, rel=1e-7)


def test_draws_in_a_loop():
    w, y = RNG.standard_normal(3), RNG.standard_normal(6)
    with pytest.raises(S2SGradError, match="recomputing a segment would draw other ones"):
        differentiate(minibatches, checkpoint=True).grad(w, X, y, 5)  # (as for the draws with rows)
    d = differentiate(minibatches)
    for _ in range(2):
        v, g = _seeded(d.value_and_grad, w, X, y, 5)
        assert v == pytest.approx(_seeded(minibatches, w, X, y, 5), rel=1e-14)
    h, D = 1e-6, RNG.standard_normal(3)
    fd = (_seeded(minibatches, w + h * D, X, y, 5) - _seeded(minibatches, w - h * D, X, y, 5)) / (2 * h)
    assert np.sum(g * D) == pytest.approx(fd, rel=1e-7)


def test_a_differentiated_parameter_of_a_draw_is_refused():
    with pytest.raises(S2SGradError, match="np.random.beta"):
        differentiate(beta_of_w).grad(np.zeros(3))


def permuted(x):
    return np.sum(x[np.random.permutation(6)] * np.arange(6.0))


def test_a_draw_inside_an_index_is_drawn_once():
    # (the reverse sweep evaluated the index again: another permutation's gradient, and numpy's
    # generator one draw further on than the plain function leaves it)
    x = np.linspace(0.1, 0.6, 6)
    np.random.seed(0)
    perm = np.random.permutation(6)
    after = np.random.rand()
    np.random.seed(0)
    v, g = differentiate(permuted).value_and_grad(x)
    assert np.random.rand() == after
    expected = np.zeros(6)
    expected[perm] = np.arange(6.0)
    np.testing.assert_array_equal(g, expected)
    np.random.seed(0)
    assert jvp(permuted, (x,), (np.eye(6)[0],))[1] == expected[0]
