"""check_grads on container arguments (dicts, lists, tuples, objects): a random direction per
floating leaf, the same finite-difference test -- and it must still catch a wrong gradient."""
import numpy as np
import pytest

from s2sgrad import differentiate
from s2sgrad.testing import _leaf_paths, _shift, check_grads

rng = np.random.default_rng(0)


def mlp(params, x):
    h = x
    for W, b in params["layers"]:
        h = np.tanh(h @ W + b)
    return np.sum(h ** 2) * params["scale"]


def pair(ab, x):
    a, b = ab
    return np.sum(np.sin(a * x) + b ** 2)


def listed(ws, x):
    return np.sum((ws[0] @ x) * ws[1]) + ws[2]


PARAMS = {"layers": [(rng.standard_normal((3, 4)), rng.standard_normal(4)),
                     (rng.standard_normal((4, 2)), rng.standard_normal(2))], "scale": 1.5}


def test_dict_of_list_of_tuples():
    assert check_grads(mlp, (PARAMS, rng.standard_normal((5, 3))), wrt="params") < 1e-5


def test_tuple_and_list_arguments():
    check_grads(pair, ((rng.standard_normal(3), rng.standard_normal(3)), rng.standard_normal(3)), wrt="ab")
    check_grads(listed, ([rng.standard_normal((2, 3)), rng.standard_normal(2), 0.5], rng.standard_normal(3)),
                wrt="ws")


def test_leaves_and_shift_keep_structure():
    paths = [p for p, _ in _leaf_paths(PARAMS)]
    assert paths == [("layers", 0, 0), ("layers", 0, 1), ("layers", 1, 0), ("layers", 1, 1), ("scale",)]
    moved = _shift(PARAMS, {("layers", 1, 1): np.ones(2), ("scale",): 2.0}, 0.5, top=True)
    assert moved["scale"] == 2.5 and np.array_equal(moved["layers"][1][1], PARAMS["layers"][1][1] + 0.5)
    assert moved["layers"][0][0] is PARAMS["layers"][0][0] and isinstance(moved["layers"][0], tuple)
    assert PARAMS["scale"] == 1.5  # the argument itself is unchanged


def test_wrong_container_gradient_is_caught(monkeypatch):
    f = differentiate(mlp, wrt="params")
    x = rng.standard_normal((5, 3))
    true = f.grad(PARAMS, x)

    def wrong(params, x, **kw):  # one leaf's gradient off by 1%
        g = f.__class__.grad(f, params, x, **kw)
        g["layers"][1] = (g["layers"][1][0] * 1.01, g["layers"][1][1])
        return g
    monkeypatch.setattr(f, "grad", wrong)
    assert np.allclose(true["layers"][1][0], f.__class__.grad(f, PARAMS, x)["layers"][1][0])
    with pytest.raises(AssertionError, match="gradient mismatch"):
        check_grads(f, (PARAMS, x), wrt="params")


def test_float32_leaves_inside_containers_are_checked_in_float64():
    # only top-level arrays were moved to float64: a float32 leaf in a dict or an object made the
    # finite differences noise and the check failed on a correct gradient
    class Layer:
        def __init__(self, W):
            self.W = W

    def in_dict(d, x):
        return np.sum(np.tanh(x @ d["W"]))

    def in_object(o, x):
        return np.sum(np.tanh(x @ o.W))
    r = np.random.default_rng(2)
    W32, x = r.standard_normal((3, 2)).astype(np.float32), r.standard_normal((4, 3))
    assert check_grads(in_dict, ({"W": W32}, x)) < 1e-6
    layer = Layer(W32)
    assert check_grads(in_object, (layer, x)) < 1e-6
    assert layer.W is W32  # the argument itself is not changed


def test_frozen_dataclass_and_float32_number_leaves():
    # a frozen dataclass argument made check_grads raise FrozenInstanceError (it moved a leaf with
    # setattr on a copy); a np.float32 number in an object made the finite differences noise
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class Frozen:
        W: np.ndarray
        s: float = 1.0

    class Scaled:
        def __init__(self, W, s):
            self.W, self.s = W, s

    def call(o, x):
        return np.sum(np.tanh(x @ o.W) * o.s) ** 2
    r = np.random.default_rng(3)
    W, x = r.standard_normal((3, 2)), r.standard_normal((4, 3))
    assert check_grads(call, (Frozen(W, 0.5), x)) < 1e-6
    assert check_grads(call, (Scaled(W, np.float32(1.5)), x)) < 1e-6
    g = differentiate(call).grad(Scaled(W, np.float32(1.5)), x)
    h = np.sum(np.tanh(x @ W))
    assert np.isclose(g["s"], 2 * 1.5 * h * h, rtol=1e-6)
