"""Closures returning closures: make_dense(W, b) returns a layer function, make_residual(layer)
wraps it, with_dropout-free scaling wrapper scaled(f, s); the network is a list of closures built
inside the loss from the parameter tuple and called in sequence."""
import numpy as np


def make_dense(W, b, act=np.tanh):
    def layer(x):
        return act(x @ W + b)
    return layer


def make_residual(inner, alpha=0.5):
    def block(x):
        return x + alpha * inner(x)
    return block


def scaled(fn, s):
    return lambda x: s * fn(x)


def loss(params, X, y):
    (W0, b0), (W1, b1), (W2, b2), w_out = params
    stem = make_dense(W0, b0)
    blocks = [make_residual(make_dense(W1, b1)), make_residual(scaled(make_dense(W2, b2, act=np.sin), 2.0), alpha=0.25)]
    h = stem(X)
    for blk in blocks:
        h = blk(h)
    logits = h @ w_out
    return np.mean(np.logaddexp(0.0, logits) - y * logits)


rng = np.random.default_rng(5)
params = ((rng.standard_normal((3, 5)) * 0.5, np.zeros(5)),
          (rng.standard_normal((5, 5)) * 0.5, 0.1 * np.ones(5)),
          (rng.standard_normal((5, 5)) * 0.5, -0.1 * np.ones(5)),
          rng.standard_normal(5))
X = rng.standard_normal((12, 3))
y = (X[:, 0] * X[:, 1] > 0).astype(float)

f = loss
ARGS = (params, X, y)
KW = {"wrt": "params"}
