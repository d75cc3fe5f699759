"""Functions picked from a table by key (frontend/dispatch.py): `ACTS[name](z)` with ACTS a
module-level dict, tuple or list of functions, and string parameters looped over or used as keys
(static_args.py: `acts=("relu", "tanh")` is specialised on like an axis).

Before, `ACTS[name](z)` was refused ("'ACTS' (dict) used as a value") and a loop zipping a list
argument with a tuple of names was refused ("the range of a loop over a container must be known
when compiling")."""
import numpy as np
import pytest

from s2sgrad import differentiate
from s2sgrad.testing import check_grads

rng = np.random.default_rng(3)
X = rng.standard_normal((5, 3))
WS = [rng.standard_normal((3, 4)) * 0.7, rng.standard_normal((4, 4)) * 0.7]


def relu(z):
    return np.maximum(z, 0.0)


def swish(z):
    return z / (1.0 + np.exp(-z))


ACTS = {"relu": relu, "tanh": np.tanh, "swish": swish, "soft": lambda z: np.log1p(np.exp(z))}
STEPS = (np.sin, np.cos, swish)


def net(Ws, X, acts=("swish", "tanh")):
    h = X
    for W, name in zip(Ws, acts):
        h = ACTS[name](h @ W)
    return np.sum(h ** 2)


def one_activation(x, act="soft"):
    return np.sum(ACTS[act](x) * x)


def steps_at_run_time(x, n):
    for i in range(n):  # a loop over a run-time count: the choice is made at run time
        x = STEPS[i % 3](x) + 0.1 * STEPS[-1](x)
    return np.sum(x)


def test_names_known_when_compiling():
    d = differentiate(net)
    check_grads(d, (WS, X))
    assert "picked = np.tanh(" in d.grad_source and "if " not in d.grad_source  # the choice made when compiling
    check_grads(differentiate(net), (WS, X, ("relu", "soft")))
    check_grads(differentiate(one_activation), (X,))
    check_grads(differentiate(one_activation), (X, "tanh"))


def test_choice_at_run_time():
    d = differentiate(steps_at_run_time)
    check_grads(d, (X, 5))
    check_grads(d, (X, 2))
    assert "key = table_index(i % 3, 3)" in d.grad_source


def test_a_missing_key_raises_what_python_raises():
    with pytest.raises(KeyError, match="gelu"):
        net(WS, X, ("gelu",))
    with pytest.raises(KeyError, match="gelu"):
        differentiate(net).grad(WS, X, ("gelu",))


def test_a_table_changed_in_place_compiles_again():
    d = differentiate(one_activation)
    x = X[0]
    before = d.grad(x, "relu")
    parsed = d._parsed
    d.grad(x, "relu")  # (the table's guard held: the same parse serves the next call)
    assert d._parsed is parsed
    try:
        ACTS["relu"] = np.sinh
        assert np.allclose(d.grad(x, "relu"), np.sinh(x) + x * np.cosh(x), rtol=1e-12)
    finally:
        ACTS["relu"] = relu
    assert np.allclose(d.grad(x, "relu"), before)


def float_position(x, k):
    return np.sum(STEPS[k](x))


def array_key(x, k):
    return np.sum(ACTS[k](x))


def test_a_key_python_rejects_is_rejected():
    """Python takes only an int position of a tuple (TypeError for 1.0) and a hashable dict key
    (TypeError for an array): the choice at run time did too loose a test (found by review:
    STEPS[1.0](x) gave STEPS[1]'s value)."""
    for fn, k in ((float_position, 1.0), (array_key, np.array("tanh"))):
        with pytest.raises(TypeError):
            fn(X, k)
        with pytest.raises(TypeError):
            differentiate(fn).grad(X, k)
    assert np.allclose(differentiate(float_position).grad(X, np.int64(-2)), -np.sin(X))
