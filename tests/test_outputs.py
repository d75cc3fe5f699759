"""Auxiliary outputs and positional wrt (issue 10, items 2 and 7): JAX's `has_aux` and `argnums`."""
import numpy as np
import pytest

import s2sgrad
from s2sgrad import differentiate


def loss_with_aux(w, x, y):
    pred = x @ w
    err = pred - y
    if np.sum(w) > 10.0:
        return 2.0 * np.sum(err ** 2), {"pred": pred, "regime": "large"}
    return np.sum(err ** 2), {"pred": pred, "regime": "small"}


X = np.arange(6.0).reshape(2, 3)
Y = np.array([1.0, -1.0])


def test_has_aux_value_and_grad_returns_value_aux_and_gradient():
    w = np.array([0.5, -0.2, 0.1])
    f = differentiate(loss_with_aux, has_aux=True)
    (value, aux), g = f.value_and_grad(w, X, Y)
    ref_value, ref_aux = loss_with_aux(w, X, Y)
    assert value == pytest.approx(ref_value)
    np.testing.assert_allclose(aux["pred"], ref_aux["pred"])
    assert aux["regime"] == "small"
    np.testing.assert_allclose(g, 2 * (X @ w - Y) @ X)
    g2, aux2 = f.grad(w, X, Y)  # JAX: grad(f, has_aux=True)(x) -> (g, aux)
    np.testing.assert_allclose(g2, g)
    assert aux2["regime"] == "small"


def test_has_aux_in_the_other_branch():
    w = np.array([5.0, 4.0, 3.0])
    (value, aux), g = s2sgrad.value_and_grad(loss_with_aux, has_aux=True)(w, X, Y)
    assert aux["regime"] == "large"
    np.testing.assert_allclose(g, 4 * (X @ w - Y) @ X)


def not_a_pair(w):
    return np.sum(w)


def test_has_aux_needs_a_pair_on_every_path():
    with pytest.raises(s2sgrad.UnsupportedSyntaxError, match="return loss, aux"):
        differentiate(not_a_pair, has_aux=True).grad(np.ones(2))


def two_args(a, b, c):
    return np.sum(a * b * c)


def test_wrt_by_position_like_argnums():
    a, b, c = np.array([1.0, 2.0]), np.array([3.0, 4.0]), np.array([5.0, 6.0])
    np.testing.assert_allclose(differentiate(two_args, wrt=1).grad(a, b, c), a * c)
    ga, gc = differentiate(two_args, wrt=(0, -1)).grad(a, b, c)
    np.testing.assert_allclose(ga, b * c)
    np.testing.assert_allclose(gc, a * b)
    with pytest.raises(s2sgrad.WrtError, match="out of range"):
        differentiate(two_args, wrt=3)


def two_outputs(x, W):
    h = np.tanh(W @ x)
    return h, np.sum(h ** 2)


def dict_output(x):
    return {"sin": np.sin(x), "total": np.sum(x ** 3)}


def test_tuple_output_takes_a_seed_of_its_structure():
    x, W = np.array([0.3, -0.4, 0.5]), rng_w()
    v1, v2 = np.array([1.0, -2.0]), 0.5
    f = differentiate(two_outputs, wrt=("x", "W"))
    value, (gx, gW) = f.value_and_grad(x, W, seed=(v1, v2))
    h = np.tanh(W @ x)
    assert np.allclose(value[0], h) and value[1] == pytest.approx(np.sum(h ** 2))
    back = (v1 + v2 * 2 * h) * (1 - h ** 2)  # d<v, out>/d(W @ x)
    np.testing.assert_allclose(gx, W.T @ back)
    np.testing.assert_allclose(gW, np.outer(back, x))
    _, pullback = f.vjp(x, W)
    np.testing.assert_allclose(pullback((v1, v2))[0], gx)


def test_dict_output_takes_a_dict_seed():
    x = np.array([0.3, -0.4])
    g = differentiate(dict_output).grad(x, seed={"sin": np.array([1.0, 2.0]), "total": 3.0})
    np.testing.assert_allclose(g, np.array([1.0, 2.0]) * np.cos(x) + 9.0 * x ** 2)


def rng_w():
    return np.array([[0.2, -0.1, 0.4], [0.7, 0.3, -0.5]])


def test_a_wrong_seed_structure_is_a_clear_error():
    x, W = np.array([0.3, -0.4, 0.5]), rng_w()
    f = differentiate(two_outputs, wrt=("x", "W"))
    for bad, message in [((np.ones(4), 1.0), r"seed\[0\] has shape \(4,\)"), (1.0, "tuple of 2 cotangents"),
                         ((np.ones(2), None), r"seed\[1\] is NoneType")]:
        with pytest.raises(s2sgrad.ArgumentError, match=message):
            f.grad(x, W, seed=bad)
    with pytest.raises(s2sgrad.ArgumentError, match="same keys"):
        differentiate(dict_output).grad(np.ones(2), seed={"sin": np.ones(2), "total": 1.0, "extra": 2.0})
