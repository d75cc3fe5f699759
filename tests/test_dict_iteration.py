"""Iterating a dict gives its keys, as in Python: `for k in params: params[k]`, a comprehension over
a dict, `list(d)`, `reversed(d)`.  Before, the loop's item was the value at that position (so
`for k in params: params[k]` was refused, and with int keys `for k in d: total += k` summed values
where Python sums keys)."""
import numpy as np
import pytest

from s2sgrad import differentiate
from s2sgrad.errors import UnsupportedSyntaxError
from s2sgrad.testing import check_grads


def over_keys(params, x):
    total = 0.0
    for k in params:
        total = total + np.sum(params[k] * x)
    return total


def comprehension_over_keys(params, x):
    return sum([np.sum(params[k] * x) for k in params])


def keys_as_numbers(d, x):
    total = 0.0
    for k in d:
        total = total + k * np.sum(d[k] * x)  # k: 2, then 5
    return total + len(list(d)) + list(d)[0] + list(reversed(d))[0]


def enumerate_and_zip(params, x):
    total = 0.0
    for i, k in enumerate(params):
        total = total + i * np.sum(params[k] * x)
    for k, v in zip(params, params.values()):
        total = total + np.sum(v * params[k])
    return total


@pytest.mark.parametrize("fn, params", [
    (over_keys, {"a": np.linspace(0, 1, 3), "b": np.arange(3.0)}),
    (comprehension_over_keys, {"a": np.linspace(0, 1, 3), "b": np.arange(3.0)}),
    (keys_as_numbers, {2: np.linspace(0, 1, 3), 5: np.arange(3.0)}),
    (enumerate_and_zip, {"a": np.linspace(0, 1, 3), "b": np.arange(3.0)}),
], ids=lambda v: getattr(v, "__name__", None) if callable(v) else None)
def test_iterating_a_dict_gives_its_keys(fn, params):
    wrt = ("params", "x") if "params" in fn.__code__.co_varnames[:1] else ("d", "x")
    check_grads(differentiate(fn, wrt=wrt), (params, np.array([0.3, -1.2, 2.0])))


def position_of_a_dict(params, x):
    return np.sum(params[0] * x)


def test_indexing_a_dict_by_position_is_a_missing_key():
    with pytest.raises(UnsupportedSyntaxError, match="key 0 is not in this dict"):
        differentiate(position_of_a_dict, wrt="x").grad({"a": np.ones(3)}, np.ones(3))


def key_from_a_branch(params, x):
    if np.sum(x) > 0:
        for k in params:
            x = x * 1.5
    else:
        k = 'a'
    return np.sum(params[k] * x)  # which key depends on the branch: known at run time only


def key_carried_by_a_loop(params, x):
    for k in params:
        x = x * 1.1  # k is 'b' after this loop
    total = 0.0
    for step in range(2):
        total = total + np.sum(params[k] * x)  # 'b' in the first pass, 'a' in the second
        for k in reversed(params):
            x = x * 0.9
    return total


@pytest.mark.parametrize("fn, message", [
    (key_from_a_branch, "'k' is computed at run time"),
    (key_carried_by_a_loop, "'k' is bound to a key of a container inside this loop"),
], ids=lambda v: getattr(v, "__name__", None) if callable(v) else None)
def test_a_key_known_on_one_path_only_is_refused(fn, message):
    params = {"a": np.linspace(0, 1, 3), "b": np.arange(3.0)}
    with pytest.raises(UnsupportedSyntaxError, match=message):
        differentiate(fn, wrt=("params", "x")).grad(params, np.ones(3))
