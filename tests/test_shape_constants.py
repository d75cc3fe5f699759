"""Rule arguments that must be constants (np.pad's widths, np.tile's reps) computed from shapes:
`pad = (K - 1) * dilation` with K = W.shape[2], `np.tile(d, (len(heights), 1))`.  Shape inference
knows such ints in each signature (ad/context.RuleCtx.constant reads them); before, each was
refused ("a pad width computed at run time").  An int that changes from pass to pass of a loop
run at run time is not known: still refused, never read as one pass's value."""
import numpy as np
import pytest

from s2sgrad import differentiate
from s2sgrad.errors import S2SGradError
from s2sgrad.testing import check_grads

X = np.array([0.5, -1.0, 2.0])


def from_shapes(x, W):
    K = W.shape[0]
    d = np.tile(x, (K - 1, 2))
    return np.sum(np.pad(d, ((0, 0), (K, 1))) ** 2) + np.sum(np.tile(x, len(W)) * np.arange(3.0 * K))


DILATION = 2


def causal_conv(x, W):
    dilation = DILATION
    C_out, C_in, K = W.shape
    T = x.shape[1]
    pad = (K - 1) * dilation
    xp = np.pad(x, ((0, 0), (pad, 0)))
    out = np.zeros((C_out, T))
    for k in range(K):
        out = out + W[:, :, k] @ xp[:, k * dilation: k * dilation + T]
    return np.sum(np.tanh(out))


def width_per_pass(x, n):
    s = 0.0
    for k in range(n):
        p = k + 1
        s = s + np.sum(np.pad(x, (p, 0)) * np.arange(len(x) + p))
    return s


def test_ints_of_shapes():
    check_grads(differentiate(from_shapes, wrt=("x",)), (X, np.ones((3, 2))))
    rng = np.random.default_rng(1)
    check_grads(differentiate(causal_conv, wrt=("x", "W")), (rng.standard_normal((2, 6)), rng.standard_normal((3, 2, 3))))


def test_a_pad_width_that_changes_each_pass():
    # (refused before: np.pad's adjoint reads a width known only at run time since; rules/shape.py)
    check_grads(differentiate(width_per_pass), (X, 3))
