"""Comparisons the numba backend's tests share: the same values, shapes and gradients as the numpy
backend's, to rtol 1e-12 (float64)."""
import numpy as np


def _flat(t):
    if isinstance(t, (tuple, list)):
        return [x for v in t for x in _flat(v)]
    return [np.asarray(t)]


def _assert_same(got, want):
    got, want = _flat(got), _flat(want)
    assert len(got) == len(want)
    for g, w in zip(got, want):
        assert g.shape == w.shape
        np.testing.assert_allclose(g, w, rtol=1e-12, atol=1e-12)
