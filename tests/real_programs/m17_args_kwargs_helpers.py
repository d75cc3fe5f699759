"""Helpers written with *args/**kwargs forwarding and keyword-only options: a logged(fn) style
call-through, a weighted_sum(*terms, weights=None), a penalty(*, kind='l2', strength) keyword-only
helper and a model(x, *, params, temperature=1.0) called with ** of an options dict."""
import numpy as np


def call_through(fn, *args, **kwargs):
    return fn(*args, **kwargs)


def weighted_sum(*terms, weights=None):
    if weights is None:
        weights = [1.0] * len(terms)
    total = 0.0
    for t, w in zip(terms, weights):
        total = total + w * t
    return total


def penalty(w, *, kind="l2", strength=1e-2):
    if kind == "l2":
        return strength * np.sum(w ** 2)
    elif kind == "l1_smooth":
        return strength * np.sum(np.sqrt(w ** 2 + 1e-4))
    raise ValueError(f"unknown penalty kind {kind!r}")


def model(x, *, W, b, temperature=1.0):
    z = (x @ W + b) / temperature
    z = z - z.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


def loss(W, b, X, Y, opts):
    logp = call_through(model, X, W=W, b=b, **opts)
    nll = -np.mean(np.sum(Y * logp, axis=1))
    reg = weighted_sum(penalty(W), penalty(b, kind="l1_smooth", strength=1e-3), weights=(1.0, 0.5))
    return weighted_sum(nll, reg)


rng = np.random.default_rng(17)
X = rng.standard_normal((20, 4))
labels = (X[:, 0] + X[:, 1] > 0).astype(int) + (X[:, 2] > 1).astype(int)
Y = np.eye(3)[labels]
W, b = 0.3 * rng.standard_normal((4, 3)), np.zeros(3)

f = loss
ARGS = (W, b, X, Y, {"temperature": 1.5})
KW = {"wrt": ("W", "b")}
