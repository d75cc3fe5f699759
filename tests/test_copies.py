"""copy.copy and copy.deepcopy (rules/elementwise.py rows, passes/containers._copied): of an array
or a number, the same numbers in a new object (written into without touching the original); of a
dict, list or object known when compiling, a container of the function's own with the same values."""
import copy

import numpy as np

from s2sgrad import differentiate
from finite_differences import central

W = np.array([0.3, -0.2])


def snapshots(w):
    params = {"w": w, "b": np.zeros(2)}
    start = copy.deepcopy(params)  # (kept as it was, whatever params becomes)
    for _ in range(3):
        params = {k: v - 0.1 * (v - 1.0) ** 2 for k, v in params.items()}
    start["b"] = start["b"] + 1.0  # (a write into the copy: the original's b stays zeros)
    x = copy.copy(w)
    x[0] = 5.0  # (into the copy of the caller's array, not into w)
    return np.sum(start["w"] ** 2) + np.sum(params["w"] * start["b"]) + np.sum(x * w) + np.sum(copy.deepcopy(w * 2))


class Affine:
    def __init__(self, W):
        self.W = W

    def __call__(self, x):
        return np.tanh(self.W * x)


def copied_model(w):
    m = Affine(w)
    m2 = copy.deepcopy(m)
    return np.sum(m(w) + m2(2.0 * w))


def test_copies_against_finite_differences():
    for fn in (snapshots, copied_model):
        value, grad = differentiate(fn).value_and_grad(W)
        assert value == fn(W)
        np.testing.assert_allclose(grad, central(fn, W), rtol=1e-7, atol=1e-9)
    differentiate(snapshots).grad(W)
    np.testing.assert_array_equal(W, [0.3, -0.2])  # the caller's array untouched
