"""Random numbers drawn inside a differentiated function (passes/rng_draws.py, frontend/effects.py):
a Generator the function makes from a seed, `rng = np.random.default_rng(seed)`, and
`np.random.seed(k)` of numpy's global generator.  The generated code draws the same numbers as the
function, so every value is compared with Python's exactly and every gradient with central
differences of the function itself (its draws are the same at every point)."""
import numpy as np
import pytest

from s2sgrad import S2SGradError, differentiate, jvp
from finite_differences import central

X = np.random.default_rng(1).standard_normal((5, 2))


def projections(x, n_proj=6, seed=7):
    rng = np.random.default_rng(seed)
    theta = rng.standard_normal((x.shape[1], n_proj))
    theta = theta / np.linalg.norm(theta, axis=0, keepdims=True)
    noise = rng.normal(0.1 * x[:, 0], 0.5 + x[:, 1] ** 2)  # (through its standard draw: loc and scale)
    u = rng.uniform(-1.0, x[:, 0] ** 2 + 1.0)
    e = rng.exponential(np.exp(x[:, 1]), size=5)
    idx = rng.choice(len(x), size=3, replace=False)
    perm = rng.permutation(x.shape[0])
    k = rng.integers(0, 2)
    return np.mean((x @ theta) ** 2) + np.sum(noise * u) + np.sum(e) + np.sum(x[idx] ** 2) + np.sum(x[perm][k])


def sample(rng, n, scale):
    return rng.normal(0.0, scale, size=n)  # (a helper given the Generator)


def through_a_helper(x):
    rng = np.random.default_rng(3)
    z = sample(rng, 4, np.exp(x[0]))
    return np.sum(z * x[1]) + np.sum(sample(rng, 2, 1.0) * x[:2])


def global_seeded(x):
    np.random.seed(3)
    t = np.random.standard_normal(x.shape)
    return np.sum(np.sin(x * t)) + np.sum(np.random.normal(x, 0.3))


@pytest.mark.parametrize("fn,x", [(projections, X), (through_a_helper, X[:, 0]), (global_seeded, X[:, 1])])
def test_draws_are_the_functions_own(fn, x):
    d = differentiate(fn)
    for _ in range(2):  # (the compiling call, then the compiled code)
        value, grad = d.value_and_grad(x)
        assert value == fn(x)  # the same draws, the same arithmetic
        np.testing.assert_allclose(grad, central(fn, x), rtol=1e-6, atol=1e-8)
    t = np.random.default_rng(5).standard_normal(x.shape)
    _, dy = jvp(fn, (x,), (t,))
    assert dy == pytest.approx(float(np.sum(grad * t)), rel=1e-10)  # forward against reverse


def several_outputs(x):
    rng = np.random.default_rng(11)
    return x * rng.normal(1.0, 0.5, size=x.shape)


def test_a_pullback_runs_the_same_draws():
    value, pullback = differentiate(several_outputs).vjp(X[:, 0])
    np.testing.assert_array_equal(value, several_outputs(X[:, 0]))
    v = np.arange(5.0)
    np.testing.assert_allclose(pullback(v), v * np.random.default_rng(11).normal(1.0, 0.5, size=5), rtol=1e-12)


def generator_argument(x, rng):
    return np.sum(x * rng.standard_normal(x.shape))


def unseeded(x):
    rng = np.random.default_rng()
    return np.sum(x * rng.standard_normal(x.shape))


def choice_of_an_array(x):
    rng = np.random.default_rng(0)
    return np.sum(rng.choice(x, 2))


def gamma_draw(x):
    rng = np.random.default_rng(0)
    return np.sum(x * rng.gamma(2.0, size=x.shape))


def test_what_would_draw_other_numbers_is_refused():
    with pytest.raises(S2SGradError, match="did not see made in the function with a seed"):
        differentiate(generator_argument).grad(X[:, 0], np.random.default_rng(0))
    with pytest.raises(S2SGradError, match="np.random.default_rng with other than one seed"):
        differentiate(unseeded).grad(X[:, 0])
    with pytest.raises(S2SGradError, match=r"rng.choice of an array: s2sgrad draws positions only") as info:
        differentiate(choice_of_an_array).grad(X[:, 0])
    assert "test_random_generators.py" in str(info.value)  # (checked when it runs: the user's line)
    with pytest.raises(S2SGradError, match=r"'rng.gamma\(\)' of a random Generator: s2sgrad draws"):
        differentiate(gamma_draw).grad(X[:, 0])


class Sampler:
    """A user's class whose methods are named like a Generator's and a string's: its own methods."""

    def __init__(self, w):
        self.w = w

    def normal(self, x):
        return self.w * x

    def split(self, x):
        return x[:2] * self.w


def own_methods(x):
    s = Sampler(2.0)
    return np.sum(s.normal(x)) + np.sum(s.split(x) ** 2)


def test_methods_named_like_a_generators_are_the_classes_own():
    np.testing.assert_allclose(differentiate(own_methods).grad(X[:, 0]), central(own_methods, X[:, 0]), rtol=1e-7)


# ---------------------------------------------------------------- a review's finds: draws out of Python's order
W = np.array([0.7, -1.3, 2.1, 0.4])


def range_of_a_draw(w):
    rng = np.random.default_rng(0)
    s = 0.0
    for i in range(0, rng.integers(2, 5)):  # (drawn once: the reverse sweep reads the bound again)
        s = s + w[i] ** 2
    return s + sum([w[i] * 2 for i in range(rng.integers(1, 4))])


def index_drawn(w):
    rng = np.random.default_rng(0)
    y = w * 1.0
    y[rng.integers(0, 4)] = rng.normal(w[0], 1.0)  # (Python: the value first, then the index)
    y[rng.integers(0, 4)] *= w[1]  # (an augmented write: the index once, before the value)
    y[rng.integers(0, 2):] += 1.0
    return np.sum(y * np.arange(1.0, 5.0)) + np.sum(w[:rng.integers(2, 5)] ** 2)


def keywords_in_their_order(w):
    rng = np.random.default_rng(0)
    a = rng.uniform(high=rng.random(4) + 3.0, low=rng.random(4) * w)
    return np.sum(a) + np.sum(rng.normal(scale=rng.random(4) + 0.1, loc=w * rng.random(4)))


def seeded_noise(x):
    np.random.seed(11)
    return x * np.random.standard_normal(x.shape)


def drawn_in_two_helpers(w):
    return np.sum(seeded_noise(w) * seeded_noise(w ** 2))  # (each helper's draw in its own body, in order)


def dropped_by_a_dict(w):
    rng = np.random.default_rng(12)
    d = {"a": w[0], "b": w[1]}
    x = d.get("a", rng.normal())  # (Python draws the default, used or not)
    y = {"a": rng.normal(), "b": w[2]}["b"]
    return x * y + w[3] * rng.normal(rng.random(), 1.0) + w[0] * rng.random()


@pytest.mark.parametrize("fn", [range_of_a_draw, index_drawn, keywords_in_their_order, drawn_in_two_helpers,
                                dropped_by_a_dict])
def test_draws_in_pythons_order(fn):
    value, grad = differentiate(fn).value_and_grad(W)
    assert value == fn(W)
    np.testing.assert_allclose(grad, central(fn, W), rtol=1e-6, atol=1e-8)


def conditional_draw(w):
    np.random.seed(0)
    return np.sum(np.random.standard_normal(4) * w + (np.random.random(4) if w[0] > 0 else w))


def reversed_bounds(w):
    rng = np.random.default_rng(13)
    return np.sum(rng.uniform(w + 5.0, w, size=4) ** 2)


def negative_scale(w):
    rng = np.random.default_rng(13)
    return np.sum(rng.normal(0.0, w))


def zero_scale(w):
    rng = np.random.default_rng(0)
    return w[0] * rng.normal(w[0], w[1] * 0.0) + w[2] ** 2


def size_too_small(w):
    rng = np.random.default_rng(100)
    return np.sum(rng.normal(w, 1.0, size=(4, 1)) ** 2)


def none_seed(w):
    rng = np.random.default_rng(None)
    return np.sum(w * rng.standard_normal(4))


def test_draws_python_would_order_otherwise_are_refused_and_numpys_checks_kept():
    with pytest.raises(S2SGradError, match="draws random numbers both in a part s2sgrad computes before"):
        differentiate(conditional_draw).grad(W)
    for fn in (zero_scale, size_too_small):
        with pytest.raises(ValueError):  # (numpy: -0.0 is a negative scale; a size the parameters do not fit)
            differentiate(fn).grad(W)
    with pytest.raises(ValueError, match="high - low < 0"):  # (as numpy raises: never numbers)
        differentiate(reversed_bounds).grad(W)
    with pytest.raises(ValueError, match="scale < 0"):
        differentiate(negative_scale).grad(W)
    with pytest.raises(S2SGradError, match="given None or a generator"):
        differentiate(none_seed).grad(W)
