"""Silent wrong results found by reviewing the Python-structure features, each now exact or refused."""
import numpy as np
import pytest

import s2sgrad
from s2sgrad import differentiate

A = np.array([1.0, 2.0])


def container_rebound_in_loop(layers, x):
    for i in range(2):
        x = x @ layers[0]
        layers = layers[1:]
    return np.sum(x @ layers[0])


def appended_then_updated(a):
    hs = []
    h = a * 1.0
    hs.append(h)
    h *= 3.0
    return np.sum(hs[0] * a)


def appended_then_written(a):
    hs = []
    h = a * 1.0
    hs.append(h)
    h[0] = 5.0
    return np.sum(hs[0] * a)


def returns_the_list(a):
    hs = []
    for t in range(3):
        hs.append(a * t)
    return hs


@pytest.mark.parametrize("fn,args,message", [
    (container_rebound_in_loop, ([2 * np.eye(2), 3 * np.eye(2), 5 * np.eye(2)], A), "must keep its structure"),
    (appended_then_updated, (A,), "the list 'hs' it was appended to"),
    (appended_then_written, (A,), "the list 'hs' it was appended to"),
    (returns_the_list, (A,), r"return np\.stack\(hs\)"),
])
def test_refused_rather_than_wrong(fn, args, message):
    with pytest.raises(s2sgrad.S2SGradError, match=message):
        differentiate(fn).value_and_grad(*args)


def dict_literal_of_a_leaf(p):
    d = {"a": p["W"]}
    return np.sum(d["a"] ** 2)


def builtin_sum_of_container(ws):
    return np.sum(sum(ws))


def builtin_sum_of_literal(x, y):
    return np.sum(sum([x, y * 2.0]))


def key_in_dict(p, x):
    if "a" in p:
        return p["a"] * np.sum(x)
    return np.sum(x)


def nested_float_tuple(p, x):
    return np.sum(p["W"] * x) + p["s"][0] * 2.0


def test_values_and_gradients_that_were_silently_wrong():
    g = differentiate(dict_literal_of_a_leaf).grad({"W": A})
    np.testing.assert_allclose(g["W"], 2 * A)  # was [0, 0]
    g = differentiate(builtin_sum_of_container).grad([A, 2 * A])
    np.testing.assert_allclose(g[0], np.ones(2)) and np.testing.assert_allclose(g[1], np.ones(2))
    gx, gy = differentiate(builtin_sum_of_literal, wrt=("x", "y")).grad(A, A)
    np.testing.assert_allclose(gx, np.ones(2)) and np.testing.assert_allclose(gy, 2 * np.ones(2))
    value, g = differentiate(key_in_dict).value_and_grad({"a": 3.0}, np.ones(2))
    assert value == 6.0 and g["a"] == pytest.approx(2.0)  # was 2.0 and 0.0: 'a' in (a,)
    g = differentiate(nested_float_tuple).grad({"W": A, "s": (1.5, 2.5)}, A)
    assert g["s"] == pytest.approx((2.0, 0.0))  # was None


def aux_written_after_use(a):
    y = a * 1.0
    loss = np.sum(y ** 2)
    y[0] = 100.0
    return loss, y


def aux_is_the_container(p):
    return np.sum(p["a"]), p


def test_aux_outputs_are_what_the_function_returns():
    (value, aux), g = differentiate(aux_written_after_use, has_aux=True).value_and_grad(A)
    np.testing.assert_allclose(aux, [100.0, 2.0])  # the reverse sweep restored y in place: was [1, 2]
    np.testing.assert_allclose(g, 2 * A)
    p = {"a": A, "n": 3}
    (value, aux), g = differentiate(aux_is_the_container, has_aux=True).value_and_grad(p)
    assert isinstance(aux, dict) and aux["n"] == 3  # was a tuple of its leaves
