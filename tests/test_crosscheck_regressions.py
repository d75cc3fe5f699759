"""Found by cross-checking the real-programs corpus across modes (forward, hvp, checkpoint, numba,
triton): hvp on a list of arrays of different shapes crashed inside numpy (np.shape of a ragged
list), hvp silently broadcast a dict leaf of the wrong shape, and hvp refused an f-string assert
message that grad and jvp accept (the generated tangent code prints it back as 'got ' + str(n))."""
import numpy as np
import pytest

import s2sgrad
from s2sgrad.errors import ArgumentError


def cubes(ws):
    return np.sum(ws[0] ** 3) + np.sum(ws[1] ** 3)


def test_hvp_of_a_list_of_arrays_of_different_shapes():
    ws = [np.array([1.0, 2.0]), np.array([0.5, -1.0, 3.0])]
    v = [np.array([1.0, 0.5]), np.array([0.0, 1.0, 2.0])]
    hv = s2sgrad.hvp(cubes, (ws,), v)
    for h, w, d in zip(hv, ws, v):
        assert np.allclose(h, 6 * w * d, rtol=1e-12)


def dict_cubes(p):
    return np.sum(p["a"] ** 3)


def test_hvp_checks_each_leaf_of_a_dict_direction():
    p = {"a": np.array([1.0, 2.0, 3.0])}
    assert np.allclose(s2sgrad.hvp(dict_cubes, (p,), {"a": np.ones(3)})["a"], [6.0, 12.0, 18.0])
    for bad in ({"a": np.array([2.0])}, {"a": 2.0}, {"b": np.ones(3)}):
        with pytest.raises(ArgumentError, match="hvp: the tangent of 'p"):
            s2sgrad.hvp(dict_cubes, (p,), bad)
    with pytest.raises(ArgumentError, match="hvp: the tangent of 'ws' must be a list of 2 items"):
        s2sgrad.hvp(cubes, ([np.ones(2), np.ones(3)],), [np.ones(2)])


def asserted(x):
    assert x.shape[0] == 3, f"got {x.shape[0]} of {x.dtype!r}, {float(x[0]):.2f}"
    return np.sum(x ** 3)


def test_hvp_through_an_f_string_assert():
    x = np.array([1.0, 2.0, 3.0])
    assert np.allclose(s2sgrad.hvp(asserted, (x,), np.ones(3)), 6 * x, rtol=1e-12)
    with pytest.raises(AssertionError, match="got 2 of dtype\\('float64'\\), 1.00"):
        s2sgrad.hvp(asserted, (np.array([1.0, 2.0]),), np.ones(2))
