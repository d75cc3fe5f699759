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


def scaled_rows(a, lim=float("inf"), scale=1.0):
    for i in range(a.shape[0]):
        yield np.minimum(a[i], lim) * scale * np.sqrt(2.0)


def reads_defaults_in_order(x):
    inf = 0.5  # (a name of the caller's: the default is float('inf'), not this)
    s = 0.0
    for r in scaled_rows(x, scale=np.random.rand(), lim=np.random.rand() + 5.0):  # drawn in this order
        s = s + np.sum(r * r)
    return s + inf


SCALE = 2.0


def module_scaled(a):
    for i in range(a.shape[0]):
        yield a[i] * SCALE


def shadows_a_global(x):
    SCALE = 10.0
    s = 0.0
    for r in module_scaled(x):
        s = s + np.sum(r) * SCALE
    return s


def test_generator_arguments_defaults_and_globals():
    # (arguments were bound in parameter order, not as written; a default of inf was written back
    # as the name `inf`; the generator's module-level names read the caller's locals of that name)
    x = np.array([1.0, 2.0])
    np.random.seed(0)
    plain = reads_defaults_in_order(x)
    np.random.seed(0)
    v, g = differentiate(reads_defaults_in_order).value_and_grad(x)
    assert v == pytest.approx(plain, rel=1e-14)
    np.random.seed(0)
    scale = np.random.rand()
    np.testing.assert_allclose(g, 4.0 * scale ** 2 * x, rtol=1e-12)
    with pytest.raises(S2SGradError, match="reads the module's 'SCALE'"):
        differentiate(shadows_a_global).grad(x)
