"""Meta-learning style: a NamedTuple of layer parameters, an inner loop of SGD steps that builds new
NamedTuples with _replace, the inner gradient written by hand; the outer loss is the query loss after
the inner steps, differentiated w.r.t. the initial parameters (MAML by hand)."""
from typing import NamedTuple

import numpy as np


class Linear(NamedTuple):
    W: np.ndarray
    b: np.ndarray


def predict(p: Linear, x):
    return np.tanh(x @ p.W + p.b)


def inner_grads(p: Linear, x, y):
    h = predict(p, x)
    d = 2.0 * (h - y) * (1.0 - h ** 2) / len(x)
    return Linear(W=x.T @ d, b=d.sum(axis=0))


def adapt(p: Linear, x, y, lr=0.1, steps=3):
    for _ in range(steps):
        g = inner_grads(p, x, y)
        p = p._replace(W=p.W - lr * g.W, b=p.b - lr * g.b)
    return p


def maml_loss(p0: Linear, xs, ys, xq, yq):
    p = adapt(p0, xs, ys)
    return np.mean((predict(p, xq) - yq) ** 2)


rng = np.random.default_rng(7)
p0 = Linear(W=0.5 * rng.standard_normal((2, 3)), b=0.1 * rng.standard_normal(3))
xs, xq = rng.standard_normal((10, 2)), rng.standard_normal((8, 2))
A = rng.standard_normal((2, 3))
ys, yq = np.tanh(xs @ A), np.tanh(xq @ A)

f = maml_loss
ARGS = (p0, xs, ys, xq, yq)
