"""`f(x, **opts)` into a helper with a **kwargs of its own (frontend/call_stars.into_kwargs,
spread.py), and the tests Python decides from what a helper is given (`if weights is None:`,
`cfg = cfg or {...}`: passes/given_containers.py; `if hs:` of a container: passes/containers.py).
Gradients against central differences and hand-written ones; refusals where Python raises."""
import numpy as np
import pytest

from s2sgrad import differentiate
from s2sgrad.errors import S2SGradError
from s2sgrad.testing import check_grads

RNG = np.random.default_rng(11)
X = RNG.standard_normal((6, 3))
W0, B0 = 0.4 * RNG.standard_normal((3, 2)), np.array([0.1, -0.2])


def call_through(fn, *args, **kwargs):
    return fn(*args, **kwargs)


def model(x, *, W, b, temperature=1.0):
    return np.tanh((x @ W + b) / temperature)


def through(W, b, opts):
    return np.sum(call_through(model, X, W=W, b=b, **opts) ** 2)


@pytest.mark.parametrize("opts", [{}, {"temperature": 1.7}])
def test_a_mapping_through_a_forwarding_helper(opts):
    check_grads(through, (W0, B0, opts), wrt=("W", "b"))
    t = opts.get("temperature", 1.0)
    h = np.tanh((X @ W0 + B0) / t)
    got = differentiate(through, wrt="b").grad(W0, B0, opts)
    np.testing.assert_allclose(got, np.sum(2 * h * (1 - h ** 2) / t, axis=0), rtol=1e-13)


def embed(t, dim=4, scale=1.0):
    return scale * np.sin(t * np.arange(1, dim + 1))


def layer(W, t, **cfg):
    return W * embed(t, **cfg)


def two_levels(W, cfg=None):
    cfg = cfg or {"dim": 4}
    total = 0.0
    for t in (0.5, 1.5):
        total = total + np.sum(layer(W, t, **cfg) ** 2)
    return total


@pytest.mark.parametrize("cfg", [None, {"dim": 3}, {"dim": 3, "scale": 0.5}])
def test_a_mapping_forwarded_twice_and_a_default_chosen_by_or(cfg):
    dim = (cfg or {"dim": 4})["dim"]
    W = np.linspace(0.2, 1.0, dim)
    check_grads(two_levels, (W, cfg), wrt="W")


def given_twice(W, b, opts):
    return np.sum(call_through(model, X, W=W, b=b, **opts))


@pytest.mark.parametrize("opts, key", [({"W": W0}, "'W'"), ({"fn": None}, "'fn'")])
def test_a_key_given_twice_or_naming_a_parameter_is_refused(opts, key):
    # (Python: TypeError, "got multiple values for keyword argument")
    with pytest.raises(S2SGradError, match=key) as info:
        differentiate(given_twice, wrt="W").grad(W0, B0, opts)
    assert "test_spread_mappings.py:" in str(info.value)


def test_a_key_the_last_helper_does_not_take_is_refused():
    # (Python: TypeError, "model() got an unexpected keyword argument 'temp'")
    with pytest.raises(S2SGradError, match="'temp'"):
        differentiate(through, wrt="W").grad(W0, B0, {"temp": 2.0})


def weighted_sum(*terms, weights=None):
    if weights is None:
        weights = [1.0] * len(terms)
    total = 0.0
    for t, w in zip(terms, weights):
        total = total + w * t
    return total


def defaults_of_none(x):
    return weighted_sum(np.sum(x ** 2), np.sum(np.sin(x)), weights=(1.0, 0.5)) + weighted_sum(np.sum(x), 2.0)


def test_if_weights_is_none_decided_by_what_each_call_gives():
    x = np.array([0.3, -0.7, 1.1])
    g = differentiate(defaults_of_none).grad(x)
    np.testing.assert_allclose(g, 2 * x + 0.5 * np.cos(x) + 1.0, rtol=1e-14)


def truth_of_containers(x, layers, extra):
    h = x
    if layers:                      # a non-empty list argument
        for w in layers:
            h = np.tanh(w * h)
    if not extra:                   # an empty dict argument
        h = 2.0 * h
    return np.sum(h)


def test_the_truth_of_a_container_argument():
    x = np.array([0.3, -0.7])
    check_grads(truth_of_containers, (x, [0.5, 1.5], {}), wrt="x")
    g = differentiate(truth_of_containers, wrt="x").grad(x, [], {"k": 1.0})
    np.testing.assert_allclose(g, np.ones(2))


def test_the_truth_of_a_differentiated_list_is_refused():
    # a list of floats differentiated is read as the array it holds, whose truth is its elements':
    # with [0.0], `if layers:` took the other branch (4.0 where Python gives 2.0) before 2026-12-01
    x = np.array([0.3, -0.7])
    with pytest.raises(S2SGradError, match=r"tests its truth.*len\(layers\) > 0"):
        differentiate(truth_of_containers, wrt=("x", "layers")).value_and_grad(x, [0.0], {})


def rebound_in_a_loop(x, weights=None):
    total = 0.0
    for k in range(3):
        if weights is None:         # not decided: the loop binds weights again
            weights = (1.0, float(k))
        total = total + weights[1] * np.sum(x ** 2)
    return total


def test_a_test_after_the_name_is_bound_again_is_left_to_run_time():
    x = np.array([0.5, 2.0])
    value = differentiate(rebound_in_a_loop).value_and_grad(x)[0] if False else rebound_in_a_loop(x)
    try:
        got_value, g = differentiate(rebound_in_a_loop).value_and_grad(x)
    except S2SGradError as e:  # refused is fine; a wrong number is not
        assert "test_spread_mappings.py:" in str(e)
        return
    assert got_value == value
    np.testing.assert_allclose(g, 0.0 * x)
