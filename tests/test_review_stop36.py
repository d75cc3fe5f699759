"""What a cross-check of this stop found (jvp, numba, checkpointing, hvp and Triton against reverse
mode, on the corpus's v and w programs and ~220 programs of its own):

- a slice value with an open stop, `s = slice(3, None)`, was printed `slice(3)` -- which is
  slice(None, 3) --, so `x[s]` read x[:3] (value 2.33 for 6.74; a write through it a bare
  ValueError): the printer now writes a start only beside the stop;
- `f.vjp(x)` of a function drawing from numpy's global generator ran the pullback's forward sweep
  on later draws (a vector-Jacobian product of other numbers): the pullback now replays the draws
  the value saw, and leaves the generator as it found it;
- `inner = differentiate(lambda w: ...)`, then `inner.grad(w)` inside a differentiated function:
  a bare SyntaxError (`<lambda>_grad_fwd` named the generated rule)."""
import numpy as np
import pytest

from s2sgrad import differentiate
from s2sgrad.errors import S2SGradError
from s2sgrad.ir import Const, Name, Slice
from s2sgrad.ir.printer import expr_src
from s2sgrad.testing import check_grads

X = np.array([0.5, -1.2, 0.8, 1.5, -0.7, 2.0])


@pytest.mark.parametrize("lower", [None, 1])
@pytest.mark.parametrize("upper", [None, 4])
@pytest.mark.parametrize("step", [None, 2])
def test_a_slice_value_prints_as_the_same_slice(lower, upper, step):
    parts = [None if v is None else Const(v) for v in (lower, upper, step)]
    assert eval(expr_src(Slice(*parts))) == slice(lower, upper, step)
    named = Slice(Name("a"), None, None)
    assert expr_src(named) == "slice(a, None)"


def open_stop(x):
    s = slice(3, None)
    total = np.sum(x[s] ** 2)
    for piece in [slice(0, 2), slice(2, 5), slice(4, None)]:
        total = total + np.sum(np.sin(x[piece]))
    return total


def open_stop_write(x):
    y = np.zeros_like(x)
    s = slice(2, None)
    y[s] = x[:-2] * x[s]
    return np.sum(y ** 2)


@pytest.mark.parametrize("fn", [open_stop, open_stop_write])
def test_slices_with_an_open_stop(fn):
    assert differentiate(fn).value_and_grad(X)[0] == fn(X)
    check_grads(fn, (X,))


def noisy(x):
    e = np.random.standard_normal(x.shape)
    return np.exp(0.2 * x * e)


def noisy_pair(x):
    u = np.random.uniform(x, x + 1.0)
    return np.sin(u), u * x


def test_a_pullback_replays_the_draws_its_value_saw():
    u = np.array([1.0, -2.0, 0.5, 0.3, 1.5, -0.4])
    np.random.seed(0)
    e = np.random.standard_normal(X.shape)
    np.random.seed(0)
    value, pullback = differentiate(noisy).vjp(X)
    after = np.random.get_state()[1].copy()
    np.testing.assert_array_equal(value, np.exp(0.2 * X * e))
    np.testing.assert_allclose(pullback(u), u * 0.2 * e * np.exp(0.2 * X * e), rtol=1e-13)
    np.testing.assert_array_equal(np.random.get_state()[1], after)  # (the pullback draws nothing)
    np.random.seed(1)
    (s, p), pullback = differentiate(noisy_pair).vjp(X)
    np.random.seed(1)
    drawn = np.random.uniform(X, X + 1.0)
    np.testing.assert_array_equal(p, drawn * X)
    np.testing.assert_allclose(pullback((u, u)), u * np.cos(drawn) + u * (drawn + X), rtol=1e-13)


inner = differentiate(lambda w: np.sum(w ** 2 * np.cos(w)))
other = differentiate(lambda w: np.sum(np.sin(w) * w))


def meta(w):
    return np.sum((w - 0.1 * inner.grad(w)) ** 2) + np.sum(other.grad(w) ** 2)


def test_the_gradient_of_a_lambda_inside_a_differentiated_function():
    check_grads(meta, (X[:3],))


# A review of this stop's new code (~630 programs) found:
# - an index bound by an inner loop that may break, read after it in an outer loop (`for j ...: if
#   x[i, j] > t: break` then `x[i, j]`): the reverse sweep read j as the last forward pass left it
#   -- the gradient on the wrong element, older than this stop; a loop without reverse code now
#   gives back the names it binds, as an assignment does;
# - a := after a comprehension, next() or sum() of a generator in the same statement was not
#   refused (the lowered loops started a new statement);
# - next(gen, default) evaluated the default before the generator's iterable;
# - np.roll(x, shift=k) with k known at run time, and while ... else with a test that needs
#   statements and a break: bare errors inside s2sgrad.
def first_above(x, t):
    r = 0.0
    for i in range(2):
        for j in range(3):
            if x[i, j] > t:
                break
        r = r + x[i, j] ** 2
    for i in range(2):
        for j in range(3):
            if x[i, j] > t:
                break
        else:
            j = 0
        r = r + np.sin(x[i, j])
    return r


def test_an_index_bound_by_an_inner_loop_that_breaks():
    x = np.array([[0.1, 0.95, 0.3], [0.2, 0.3, 0.4]])
    g = differentiate(first_above, wrt="x").grad(x, 0.9)
    np.testing.assert_allclose(g, [[0.0, 2 * 0.95 + np.cos(0.95), 0.0], [np.cos(0.2), 0.0, 2 * 0.4]], rtol=1e-13)
    check_grads(first_above, (x, 0.9), wrt="x")


def walrus_after_a_loop(x):
    d = x[1]
    return d + np.sum(np.array([v for v in x])) + (d := x[0] * 10.0)


def default_after_its_generator(x):
    return next((v * x for v in np.random.normal(size=3) if v > 5.0), np.random.normal() * x)


def rolled_by_keyword(x, k):
    return np.sum(np.roll(x, shift=k) * np.arange(5.0))


def halving(x):
    t = x
    while (step := t * 0.5) > 0.01:
        t = t - step
        if t < -1.0:
            break
    else:
        t = t + 1.0
    return t


def test_what_the_review_found():
    with pytest.raises(S2SGradError, match="reads before it"):
        differentiate(walrus_after_a_loop).grad(X)
    np.random.seed(4)
    v, g = differentiate(default_after_its_generator).value_and_grad(0.7)
    np.random.seed(4)
    assert v == default_after_its_generator(0.7) and g == v / 0.7
    check_grads(rolled_by_keyword, (X[:5], 2), wrt="x")
    check_grads(halving, (2.0,))
