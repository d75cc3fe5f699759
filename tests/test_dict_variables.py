"""A dict the function makes and uses key by key is a set of variables (passes/dict_scalars.py):
`stats = {'ll': -np.inf, 'iters': 0}` written inside a loop that runs at run time.  And an int
argument that decides shapes (`np.zeros(K)`) is specialised on after a refusal that an unknown
shape may cause (static_args.size_parameters).  Before, both were refused: "a write into the dict
'stats' inside a loop that runs at run time", "np.sum: a negative axis on an input of unknown
rank"."""
import numpy as np
import pytest

from s2sgrad import differentiate
from s2sgrad.errors import S2SGradError
from s2sgrad.testing import check_grads

X = np.array([0.4, -0.3, 1.2])


def tracked(x, n):
    stats = {"best": np.inf, "loss": 0.0, "count": 0}
    h = x
    for t in range(n):  # a loop over a run-time count
        h = np.tanh(h * 1.5 + 0.1)
        loss = np.sum(h ** 2)
        if loss < stats["best"]:
            stats["best"] = loss
        stats["loss"] = stats["loss"] + loss
        stats["count"] = stats.get("count") + 1
    return stats["loss"] / stats["count"] + stats["best"]


def until_converged(x, tol=1e-3):
    state = {"prev": np.inf, "y": x}
    while True:
        y = 0.5 * (state["y"] + 1.0 / state["y"])
        if abs(np.sum(y) - state["prev"]) < tol:
            break
        state["prev"] = np.sum(y)
        state["y"] = y
    return np.sum(y ** 2)


def sized(x, K=3):
    w = np.full(K, 1.0 / K)
    Z = np.zeros((K, len(x))) + x[None, :] * np.arange(1.0, K + 1.0)[:, None]
    return np.sum(w[:, None] * np.exp(-np.sum(Z[:, None, :] ** 2, axis=-1)))


def test_dicts_used_key_by_key():
    check_grads(differentiate(tracked), (X, 4))
    check_grads(differentiate(tracked), (X, 1))
    check_grads(differentiate(until_converged), (np.array([1.5, 2.0, 3.0]),))


def test_an_int_that_decides_shapes_is_specialised_on():
    d = differentiate(sized)
    check_grads(d, (X,))
    check_grads(d, (X, 5))
    assert np.isclose(d.value_and_grad(X, 2)[0], sized(X, 2), rtol=1e-14)


def new_key(x, n):
    d = {"a": 0.0}
    for t in range(n):
        d["b"] = np.sum(x) * t
    return d["a"]


def passed_whole(x, n):
    d = {"a": 0.0}
    for t in range(n):
        d["a"] = d["a"] + np.sum(x)
    return sum(d.values())


def test_other_dicts_are_left_to_the_container_pass():
    with pytest.raises(S2SGradError, match="inside a loop that runs at run time"):
        differentiate(new_key).grad(X, 3)
    check_grads(passed_whole, (X, 3))  # (its key a loop variable: passes/loop_carry.py)
    assert differentiate(passed_whole).grad(X, 3) == pytest.approx(np.full(3, 3.0))
