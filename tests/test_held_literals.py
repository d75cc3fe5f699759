"""Tuples, lists and dicts written as literals and bound to a name (`pair = (a, W @ x)`,
`d = {'W': W, 'h': np.tanh(W @ x)}`): each element is held in a name of its own when the literal is
made, so reads see the values it was made with.  Before, a runtime tuple of arrays was refused,
and a dict literal in a function with container arguments was read through the names it held: with
one of them bound again later, the value and gradient were silently those of the new binding
(20.6 came out as 33.2).  A write in place into a name a literal holds is refused by the alias
fence (numpy would change the container's element too)."""
import numpy as np
import pytest

from s2sgrad import differentiate
from s2sgrad.errors import UnsupportedSyntaxError
from s2sgrad.testing import check_grads


def dict_then_rebound(params, x):
    d = {'a': x, 'b': params['W'] @ x}
    x = x + 1.0
    return np.sum(d['a'] * params['W'][0]) + np.sum(d['b']) + np.sum(x)


def tuple_then_rebound(x, W):
    pair = (np.tanh(W @ x), W @ (x * 2.0))
    a, b = pair
    x = x + 1.0
    c = pair[1]
    return np.sum(a * b) + np.sum(c * (W @ x))


def returned_by_a_helper(x, W):
    def step(h):
        out = (np.tanh(W @ h), h[:3] * 0.5)
        return out
    h, k = step(x)
    return np.sum(h * k)


def list_read_in_a_loop(x, W):
    parts = [x * 2.0, np.sin(x)]
    total = 0.0
    for p in parts:
        total = total + np.sum(p * x)
    x = x * 3.0
    return total + np.sum(np.stack(parts) ** 2) + len(parts) + np.sum(parts[0] * x)


def nested_literals(x, W):
    d = {'ab': (x, W @ x), 'c': np.cos(x)}
    a, b = d['ab']
    return np.sum(a * d['c']) + np.sum(b ** 2)


@pytest.mark.parametrize("fn", [tuple_then_rebound, returned_by_a_helper, list_read_in_a_loop, nested_literals],
                         ids=lambda f: f.__name__)
def test_held_literals(fn):
    rng = np.random.default_rng(4)
    check_grads(differentiate(fn, wrt=("x", "W")), (rng.standard_normal(4), rng.standard_normal((3, 4))))


def test_a_dict_literal_reads_the_values_it_was_made_with():
    p, x = {"W": np.arange(16.0).reshape(4, 4) / 10}, np.ones(4)
    value, grads = differentiate(dict_then_rebound, wrt=("params", "x")).value_and_grad(p, x)
    assert np.isclose(value, dict_then_rebound(p, x)) and np.isclose(value, 20.6), value  # was 33.2
    check_grads(differentiate(dict_then_rebound, wrt=("params", "x")), (p, np.linspace(-1, 1, 4)))


def tuple_updated_in_place(x, W):
    y = W @ x
    pair = (y, x)
    y *= 3.0
    return np.sum(pair[0])


def dict_updated_in_place(x, W):
    y = W @ x
    d = {'y': [y, x]}
    y += 1.0
    return np.sum(d['y'][0])


@pytest.mark.parametrize("fn, holder", [(tuple_updated_in_place, "the tuple 'pair'"),
                                        (dict_updated_in_place, "the dict 'd'")], ids=["tuple", "dict"])
def test_an_update_in_place_of_a_held_array_is_refused(fn, holder):
    with pytest.raises(UnsupportedSyntaxError) as e:
        differentiate(fn, wrt="x").grad(np.ones(4), np.ones((3, 4)))
    assert f"may share it with {holder} holding it" in str(e.value), str(e.value)
