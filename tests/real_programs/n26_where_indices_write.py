"""Robust reweighting: residuals' outliers found with np.where (index tuple) and np.nonzero, their
weights written through those indices, a 2-D boolean index picks entries of a weight matrix; IRLS
with a fixed number of iterations on a small linear model; wrt the data y."""
import numpy as np


def irls(X, y, c=1.0, iters=4):
    n, p = X.shape
    w = np.ones(n)
    beta = np.zeros(p)
    for _ in range(iters):
        Xw = X * w[:, None]
        beta = np.linalg.solve(X.T @ Xw + 1e-3 * np.eye(p), Xw.T @ y)
        r = y - X @ beta
        w = np.ones(n)
        idx = np.where(np.abs(r) > c)[0]
        w[idx] = c / np.abs(r[idx])
        big = np.nonzero(np.abs(r) > 3 * c)
        w[big] *= 0.5
    return beta, w


def loss(y, X):
    beta, w = irls(X, y)
    W = np.outer(w, w)
    M = W > 0.6
    return np.sum(beta ** 2) + np.sum(W[M]) * 0.01 + np.sum(w * (y - X @ beta) ** 2)


rng = np.random.default_rng(26)
X = np.column_stack([np.ones(12), rng.standard_normal(12)])
y = X @ np.array([1.0, 2.0]) + 0.3 * rng.standard_normal(12)
y[3] += 4.0
y[8] -= 2.5
f = loss
ARGS = (y, X)
