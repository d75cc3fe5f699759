"""A loop over a generator of the user's (frontend/generators.py): the loop's body where the
generator yields, under enumerate too, and in comprehensions -- refused before ("yield: a generator
cannot be differentiated"; the fifth survey's mini-batch loader).  Checked against finite
differences (and forward mode through check_grads)."""
import numpy as np
import pytest

from s2sgrad import differentiate
from s2sgrad.errors import S2SGradError
from s2sgrad.testing import check_grads


def batches(X, y, size=4):
    for start in range(0, len(X), size):
        yield X[start:start + size], y[start:start + size]


def weighted(w, X, y):
    total = 0.0
    for i, (xb, yb) in enumerate(batches(X, y)):
        total = total + np.sum((xb @ w - yb) ** 2) * (i + 1)
    return total


def pairs(n):
    for a in range(n):
        for b in range(a):
            yield a, b


def pairwise(x):
    e = 0.0
    for a, b in pairs(len(x)):
        e = e + (x[a] - x[b]) ** 2
    return e


def in_a_comprehension(w, X, y):
    return np.sum(np.array([np.sum(xb @ w) for xb, yb in batches(X, y, 3)]) ** 2)


def stops_early(w, X, y):
    total = 0.0
    for xb, yb in batches(X, y):
        if total > 10.0:
            break
        total = total + np.sum(xb @ w)
    return total


def returns(n):
    yield n
    return


def uses_return(x):
    return sum(x * k for k in returns(2))


RNG = np.random.default_rng(13)
X, Y, W = RNG.standard_normal((10, 3)), RNG.standard_normal(10), RNG.standard_normal(3)


def test_loops_over_generators():
    check_grads(weighted, (W, X, Y))
    by_hand = sum(2 * (i + 1) * X[s:s + 4].T @ (X[s:s + 4] @ W - Y[s:s + 4]) for i, s in enumerate(range(0, 10, 4)))
    np.testing.assert_allclose(differentiate(weighted).grad(W, X, Y), by_hand, rtol=1e-12)
    check_grads(pairwise, (RNG.standard_normal(5),))
    check_grads(in_a_comprehension, (W, X, Y))


@pytest.mark.parametrize("fn, args, says", [(stops_early, (W, X, Y), "break or continue in a loop over a generator"),
                                            (uses_return, (W,), "the generator 'returns' returns")])
def test_other_generators_are_refused_at_the_line(fn, args, says):
    with pytest.raises(S2SGradError, match=says):
        differentiate(fn).grad(*args)
