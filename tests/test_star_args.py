"""Helpers with *args (`def ensemble(X, base, *trees, shrinkage=0.3)`), called with extra
arguments or with a starred sequence (`ensemble(X, base, *trees)`): the parameter is the tuple of
them, as Python binds it (passes/normalize.inline_body).  Before, refused ("*args parameters")."""
import numpy as np
import pytest

from s2sgrad import differentiate
from s2sgrad.errors import S2SGradError
from s2sgrad.testing import check_grads

TREES = [np.array([1.0, 2.0]), np.array([0.5, -1.0, 3.0])]
X = np.array([0.3, -0.7])


def combine(base, *parts, scale=0.5):
    total = base
    for p in parts:
        total = total + scale * np.sum(p ** 2)
    return total + len(parts)


def starred(trees, x):
    return combine(np.sum(x), *trees)


def extra_arguments(x):
    return combine(1.0, x, x * 2.0, np.sin(x), scale=0.1)


def both(x, trees):
    return combine(0.0, x, *trees)


def none_extra(x):
    return combine(np.sum(x))


def test_against_finite_differences():
    check_grads(differentiate(starred, wrt=("trees", "x")), (TREES, X))
    check_grads(differentiate(extra_arguments), (X,))
    check_grads(differentiate(both, wrt=("x", "trees")), (X, TREES))
    check_grads(differentiate(none_extra), (X,))


def test_known_numbers():
    # d/dx [1 + 0.1 (|x|^2 + |2x|^2 + |sin x|^2) + 3] = 0.1 (2x + 8x + 2 sin x cos x)
    g = differentiate(extra_arguments).grad(X)
    assert np.allclose(g, 0.1 * (10 * X + np.sin(2 * X)), rtol=1e-12)


def two(a, b):
    return a * b


def star_into_named_parameters(x):
    return np.sum(two(*[x, x]))


def top_level(*xs):
    return np.sum(xs[0])


def test_star_into_named_parameters():
    # (refused before: frontend/call_stars.py passes a list literal's elements in place)
    check_grads(differentiate(star_into_named_parameters), (X,))


def test_what_stays_refused():
    with pytest.raises(S2SGradError, match="\\*args parameters"):
        differentiate(top_level).grad(X)
