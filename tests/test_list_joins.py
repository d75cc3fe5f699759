"""A new list joined from lists built at run time (passes/list_joins.py): `trial = hs + [h]`,
`xs + ys`, `[h0] + hs`, `hs.copy()`, `list(hs)` appended to afterwards -- written as a list built
by appends, whose adjoint flows back into each operand's elements.  Checked against Python and
central differences along random directions (reverse mode), forward mode against reverse (the
dot-product test), and hvp against differences of gradients; a joined list s2sgrad cannot follow
stays refused with its message."""
import numpy as np
import pytest

from s2sgrad import UnsupportedSyntaxError, differentiate, hvp, jvp

X = np.array([0.4, -1.1, 0.8, 1.7])


def trial_in_a_loop(x):
    # y12's pattern: a Newton step on the last hazard, the earlier ones kept in a list
    hazards = []
    for i in range(3):
        h = x[i] * 0.5
        for _ in range(4):
            trial = hazards + [h]
            g = sum(trial) * trial[-1] - x[3]
            h = h - 0.1 * g
        hazards.append(h)
    return hazards[0] * hazards[1] + hazards[2] ** 2


def both_lists(x):
    xs, ys = [], []
    for i in range(2):
        xs.append(np.sin(x[i]))
        ys.append(x[i + 2] * x[i])
    both = xs + ys + [x[0]]
    total = 0.0
    for k in range(len(both)):
        total = total + (k + 1) * both[k] ** 2
    return total


def prepended(x):
    hs = []
    for i in range(3):
        hs.append(np.tanh(x[i] + x[3]))
    grown = [x[3] * 2.0] + hs
    return np.sum(np.stack(grown) * np.arange(1.0, 5.0))


def copied_then_appended(x):
    hs = []
    for i in range(3):
        hs.append(x[i] * x[i + 1])
    mine = list(hs)
    mine.append(x[0] ** 3)
    other = hs.copy()
    other.append(x[3])
    return mine[3] * mine[0] + other[3] * other[2] + len(hs)


CASES = [trial_in_a_loop, both_lists, prepended, copied_then_appended]


def _fd(fn, x, v, eps=1e-6):
    return (fn(x + eps * v) - fn(x - eps * v)) / (2 * eps)


@pytest.mark.parametrize("fn", CASES, ids=lambda f: f.__name__)
def test_reverse_against_differences(fn):
    value, grad = differentiate(fn).value_and_grad(X.copy())
    assert value == pytest.approx(fn(X.copy()), rel=1e-12)
    rng = np.random.default_rng(7)
    for _ in range(3):
        v = rng.standard_normal(X.shape)
        assert np.dot(grad, v) == pytest.approx(_fd(fn, X, v), rel=1e-6, abs=1e-9)


@pytest.mark.parametrize("fn", CASES, ids=lambda f: f.__name__)
def test_forward_against_reverse(fn):
    grad = differentiate(fn).grad(X.copy())
    v = np.random.default_rng(8).standard_normal(X.shape)
    value, tangent = jvp(fn, (X.copy(),), (v,))
    assert value == pytest.approx(fn(X.copy()), rel=1e-12)
    assert tangent == pytest.approx(np.dot(grad, v), rel=1e-10, abs=1e-12)


@pytest.mark.parametrize("fn", CASES, ids=lambda f: f.__name__)
def test_hvp_against_differences_of_gradients(fn):
    v = np.random.default_rng(9).standard_normal(X.shape)
    g = differentiate(fn).grad
    eps = 1e-5
    expected = (g(X + eps * v) - g(X - eps * v)) / (2 * eps)
    np.testing.assert_allclose(hvp(fn, (X.copy(),), v), expected, rtol=1e-5, atol=1e-7)


def test_the_operands_stay_as_they_were():
    # the join is a new list: appending to it leaves hs as it was (Python semantics)
    def f(x):
        hs = []
        for i in range(2):
            hs.append(x[i] * 2.0)
        t = hs + [x[2]]
        t.append(x[3])
        return len(hs) * 10.0 + t[3] * hs[-1]
    value, grad = differentiate(f).value_and_grad(X.copy())
    assert value == pytest.approx(f(X.copy()))
    np.testing.assert_allclose(grad, [0.0, 2 * X[3], 0.0, 2 * X[1]])


def test_a_join_read_outside_its_loop_is_refused():
    def f(x):
        ks = []
        for i in range(3):
            ks.append(x[i])
            t = ks + [x[3]]
        return t[0] * t[-1]
    with pytest.raises(UnsupportedSyntaxError, match="the list 't' is created inside a loop"):
        differentiate(f).value_and_grad(X.copy())
