"""wrt entries that are paths under a parameter (("p", "W"), or an attribute of a bound method's
object): a path into something that is not a container, a path from no parameter, and a
one-element path are answered with a WrtError at the user's def or differentiated as the
parameter; never a raw TypeError/NameError, never the whole array for a path into it."""
import numpy as np
import pytest

from s2sgrad import differentiate
from s2sgrad.errors import WrtError
from s2sgrad.testing import check_grads


def in_dict(p, x):
    return np.sum(np.tanh(p["W"] * x) ** 2)


def plain(x):
    return np.sum(x ** 3)


class Model:
    def __init__(self, W1, b1):
        self.W1, self.b1 = W1, b1

    def loss(self, x):
        return np.sum(np.tanh(x @ self.W1 + self.b1))


P, X = {"W": np.array([0.3, -0.4])}, np.array([1.5, 0.7])


def test_path_under_a_dict_parameter():
    (g,) = differentiate(in_dict, wrt=[("p", "W")]).grad(P, X)
    t = np.tanh(P["W"] * X)
    assert np.allclose(g, 2 * t * (1 - t ** 2) * X, rtol=1e-14)


@pytest.mark.parametrize("fn,wrt,match", [
    (in_dict, [("q", "W")], r"wrt path \('q', 'W'\) does not start at a parameter"),   # was a NameError
    (in_dict, [("x", 0)], r"'x' is not a container or object argument"),            # was the whole of x
    (plain, [("x", 0)], r"'x' is not a container or object argument")])
def test_bad_paths_refused_at_the_def(fn, wrt, match):
    args = (P, X) if fn is in_dict else (X,)
    with pytest.raises(WrtError, match=match) as e:
        differentiate(fn, wrt=wrt).grad(*args)
    assert "test_wrt_paths.py" in str(e.value)


def test_one_element_path_is_the_parameter():
    (g,) = differentiate(plain, wrt=[("x",)]).grad(X)  # was a TypeError joining the path
    assert np.allclose(g, 3 * X ** 2, rtol=1e-14)


def test_bound_method_with_an_explicit_path():
    # a tuple wrt entry on a bound method raised TypeError (hasattr(self, ('self', 'W1')))
    r = np.random.default_rng(6)
    m = Model(r.standard_normal((3, 2)), r.standard_normal(2))
    x = r.standard_normal((4, 3))
    assert check_grads(m.loss, (x,), wrt=[("self", "W1")]) < 1e-6
    (g,) = differentiate(m.loss, wrt=[("self", "W1")]).grad(x)
    assert np.allclose(g, differentiate(m.loss, wrt="W1").grad(x), rtol=1e-14)
