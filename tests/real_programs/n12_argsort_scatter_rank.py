"""Sort-based quantile normalisation: argsort each column, scatter the mean of sorted values back
to the ranks with out[order, j] = ...; then a weighted loss. Index arrays are computed from data."""
import numpy as np


def quantile_normalise(X):
    n, m = X.shape
    order = np.argsort(X, axis=0)
    sorted_vals = np.take_along_axis(X, order, axis=0)
    ref = sorted_vals.mean(axis=1)
    out = np.empty_like(X)
    for j in range(m):
        out[order[:, j], j] = ref
    return out


def loss(X, w):
    Q = quantile_normalise(X)
    ranks = np.empty(X.shape[0], dtype=int)
    ranks[np.argsort(X[:, 0])] = np.arange(X.shape[0])
    weights = 1.0 + ranks / X.shape[0]
    return np.sum(weights[:, None] * (Q @ w) [:, None] ** 2) + np.sum(Q * X)


rng = np.random.default_rng(12)
f = loss
ARGS = (rng.standard_normal((7, 3)), rng.standard_normal(3))
