"""Module-level arrays and containers of arrays read by a differentiated function: `W.T`,
`W.shape[0]`, `W.sum(axis=0)` of a global array (refused before: "'W.T' is a property or slot"),
`for L in LAYERS`, `np.stack(LAYERS)` of a global list of arrays and `PARAMS.items()` of a global
dict of arrays (refused before: "'LAYERS' (list) used as a value", "'PARAMS.items' has no
differentiation rule").  They are constants for differentiation, read when the code runs; a
container bound again or changed (an element added, replaced) compiles again."""
import numpy as np
import pytest

from s2sgrad import differentiate, jvp
from s2sgrad.errors import S2SGradError
from s2sgrad.testing import check_grads

W = np.array([[1.0, 2.0], [3.0, 4.0]])
LAYERS = [np.eye(2), 2 * np.eye(2)]
PARAMS = {"a": np.array([1.0, 2.0]), "b": np.array([-1.0, 0.5])}
X = np.array([0.5, -1.0])


def transposed(x):
    return np.sum(W.T @ x) + W.shape[0] * np.sum(W.sum(axis=0) * x ** 2)


def layered(x):
    h = x
    for L in LAYERS:
        h = np.tanh(L @ h)
    return np.sum(h) + np.sum(np.stack(LAYERS) @ x)


def itemised(x):
    return sum(np.sum(v * x ** 2) for k, v in PARAMS.items()) + np.sum(PARAMS["a"] @ x)


@pytest.mark.parametrize("f", [transposed, layered, itemised])
def test_gradients(f):
    check_grads(f, (X,))
    t = np.array([0.3, 0.7])
    _, dot = jvp(f, (X,), (t,))
    assert dot == pytest.approx(float(differentiate(f).grad(X) @ t), rel=1e-12)


def test_known_numbers():
    # sum(W.T x) = (W 1) . x;  2 * sum(W.sum(0) * x^2): 4 * W.sum(0) * x
    np.testing.assert_allclose(differentiate(transposed).grad(X), W @ np.ones(2) + 4 * W.sum(axis=0) * X)


def test_a_changed_container_compiles_again():
    d = differentiate(layered)
    before = d.grad(X)
    LAYERS.append(0.5 * np.eye(2))
    try:
        np.testing.assert_allclose(d.grad(X), differentiate(layered).grad(X))
        assert not np.allclose(d.grad(X), before)
    finally:
        LAYERS.pop()
    np.testing.assert_allclose(d.grad(X), before)
    d = differentiate(itemised)
    before = d.grad(X)
    old = PARAMS["b"]
    PARAMS["b"] = np.array([3.0, 3.0])  # an element replaced
    try:
        np.testing.assert_allclose(d.grad(X), 2 * X * (PARAMS["a"] + PARAMS["b"]) + PARAMS["a"])
    finally:
        PARAMS["b"] = old
    np.testing.assert_allclose(d.grad(X), before)


def written(x):
    LAYERS[0][0, 0] = 5.0  # a module-level array changed by the function
    return np.sum(LAYERS[0] @ x)


def test_a_write_into_a_global_array_is_refused():
    with pytest.raises(S2SGradError):
        differentiate(written).grad(X)
    assert LAYERS[0][0, 0] == 1.0
