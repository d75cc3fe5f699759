"""`f(x, **d)` and `f(*t)` of a helper without *args/**kwargs of its own (frontend/call_stars.py),
refused before ('*args / **kwargs in a call'; the sixth and seventh surveys' u11, v02, v04, v27):
each argument is given by itself, read from the dict or tuple the container pass knows.  Checked
against finite differences and forward mode against reverse (check_grads)."""
import numpy as np
import pytest

from s2sgrad import differentiate
from s2sgrad.errors import S2SGradError
from s2sgrad.testing import check_grads

RNG = np.random.default_rng(3)


def layer_norm(x, gamma, beta, eps=1e-5):
    mu = x.mean(-1, keepdims=True)
    return gamma * (x - mu) / np.sqrt(x.var(-1, keepdims=True) + eps) + beta


def dense(x, W, b, act="tanh"):
    z = x @ W + b
    return np.tanh(z) if act == "tanh" else z


def net(params, x):  # **d of a dict argument, a default left to the dict's .get
    h = layer_norm(x, **params["ln"])
    h = dense(h, **params["l1"])
    return np.sum(dense(h, act="none", **params["l2"]) ** 2)


def made_here(x, w):  # **d of a dict the function makes; a keyword given besides
    cfg = {"W": w, "b": 0.5}
    return np.sum(dense(x, act="none", **cfg))


def make_pair(raw):
    return np.tanh(raw), raw ** 2


def combine(z, a, b):
    return z * a + b


def from_tuple(raw, z):  # *t of a helper's tuple, evaluated once
    return np.sum(combine(z, *make_pair(raw)))


def nested_def(x, p):
    def affine(v, scale, shift=0.0):
        return v * scale + shift
    return np.sum(affine(x, **p)) + np.sum(affine(*(x, p["scale"])))


def params_for(d_in, d_h):
    return {"ln": {"gamma": RNG.standard_normal(d_in), "beta": RNG.standard_normal(d_in)},
            "l1": {"W": RNG.standard_normal((d_in, d_h)), "b": RNG.standard_normal(d_h)},
            "l2": {"W": RNG.standard_normal((d_h, 2)), "b": RNG.standard_normal(2)}}


def test_dict_spread_into_helpers():
    check_grads(net, (params_for(4, 3), RNG.standard_normal((5, 4))), wrt=(0, 1))


def test_dict_made_in_the_function():
    check_grads(made_here, (RNG.standard_normal((3, 2)), RNG.standard_normal((2, 2))), wrt=(0, 1))


def test_tuple_spread():
    check_grads(from_tuple, (RNG.standard_normal(4), RNG.standard_normal(4)), wrt=(0, 1))


def test_nested_function():
    check_grads(nested_def, (RNG.standard_normal(3), {"scale": RNG.standard_normal(3), "shift": 0.3}), wrt=(0, 1))
    check_grads(nested_def, (RNG.standard_normal(3), {"scale": RNG.standard_normal(3)}), wrt=(0, 1))


def test_a_key_the_helper_does_not_take_is_refused():
    p = params_for(4, 3)
    p["l1"]["bias"] = p["l1"].pop("b")
    with pytest.raises(S2SGradError, match="d has the key 'bias', which is none of the parameters"):
        differentiate(net).grad(p, RNG.standard_normal((5, 4)))


def one(raw):
    return (raw * 2,)


def short_tuple(raw, z):
    return np.sum(combine(z, *one(raw)))


def short_literal(raw, z):
    return np.sum(combine(z, *(raw,)))


def test_a_tuple_of_another_length_is_refused():
    with pytest.raises(S2SGradError, match="unpacking 1 values into 2 names"):
        differentiate(short_tuple).grad(RNG.standard_normal(3), RNG.standard_normal(3))
    with pytest.raises(S2SGradError, match="missing a required argument: 'b'"):
        differentiate(short_literal).grad(RNG.standard_normal(3), RNG.standard_normal(3))


def spread_array(x):
    return np.sum(combine(*x))


def test_an_array_spread_is_checked_for_its_length():
    x = RNG.standard_normal((3, 2))
    check_grads(spread_array, (x,), wrt=0)
    with pytest.raises(Exception):
        differentiate(spread_array).grad(RNG.standard_normal((4, 2)))
