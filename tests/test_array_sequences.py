"""An array as the sequence of np.concatenate / np.stack (numpy reads its rows), also written
`list(x)` or `tuple(x)`: refused before ("a sequence that is not written out"; the fourth
survey's s13 joined attention heads with `np.concatenate(list(out), axis=-1)`).  Gradients and
tangents against finite differences (check_grads), and the adjoint against a hand-written one."""
import numpy as np
import pytest

from s2sgrad import differentiate
from s2sgrad.testing import check_grads

W24 = np.arange(24.0).reshape(2, 12) / 7.0


def heads(x, w):
    out = np.tanh(x * w)
    return np.sum(np.concatenate(list(out), axis=-1) ** 2 * W24)


def rows(x):
    return np.sum(np.concatenate(x) ** 3)


def flat(x):
    return np.sum(np.concatenate(tuple(x * 2), axis=None) * np.arange(24.0))


def stacked(x):
    return np.sum(np.stack(list(np.sin(x)), axis=1) * np.arange(24.0).reshape(2, 3, 4))


def stacked_last(x):
    return np.sum(np.stack(x, axis=-1) ** 2 * np.arange(24.0).reshape(2, 4, 3))


RNG = np.random.default_rng(3)
X = RNG.standard_normal((3, 2, 4))


@pytest.mark.parametrize("fn", [rows, flat, stacked, stacked_last])
def test_against_finite_differences(fn):
    check_grads(fn, (X,))


def test_heads_against_hand_written_backprop():
    w = RNG.standard_normal((3, 2, 4))
    check_grads(heads, (X, w), wrt=(0, 1))
    out = np.tanh(X * w)
    g_cat = 2 * np.concatenate(list(out), axis=-1) * W24  # (2, 12): head h is columns 4h..4h+3
    g_out = np.stack([g_cat[:, 4 * h:4 * h + 4] for h in range(3)])
    gx, gw = differentiate(heads, wrt=(0, 1)).grad(X, w)
    np.testing.assert_allclose(gx, g_out * (1 - out ** 2) * w, rtol=1e-12)
    np.testing.assert_allclose(gw, g_out * (1 - out ** 2) * X, rtol=1e-12)
