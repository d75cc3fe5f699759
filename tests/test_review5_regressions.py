"""Regressions from this stop's adversarial review (higher order, custom rules, checkpointing,
backends, caches), each failing on the code before:
- an index mixing an integer array with a slice open at its end (`X[1:, idx]`, `X[idx, 2:]`): the
  reverse sweep's np.add.at read `1:` as slice(1), which is `:1` (a silent wrong gradient, and a
  bare ValueError for other shapes)."""
import numpy as np
import pytest

from s2sgrad import differentiate, hessian
from s2sgrad.testing import check_grads

IDX = np.array([0, 2])


def rows_from(X):
    return np.sum(X[1:, IDX] ** 2)


def cols_from(X):
    return np.sum(X[np.array([0, 1]), 2:] ** 2) + np.sum(X[-1:, IDX] * 3.0) + np.sum(X[IDX[:1], ::2])


@pytest.mark.parametrize("fn", [rows_from, cols_from])
def test_integer_array_with_an_open_slice(fn):
    X = np.arange(12.0).reshape(3, 4) * 0.1 + 0.05
    check_grads(fn, (X,))
    expected = np.zeros_like(X)
    if fn is rows_from:
        expected[1:, IDX] = 2 * X[1:, IDX]
        np.testing.assert_allclose(differentiate(fn).grad(X), expected)
        np.testing.assert_allclose(hessian(fn)(X).reshape(12, 12).sum(1), (expected != 0).ravel() * 2.0)
