"""Graphical-model style precision matrix: off-diagonal from a parameter vector written into the
upper triangle with np.triu_indices and mirrored, diagonal set with np.fill_diagonal to make it
diagonally dominant, Gaussian log-likelihood of data; wrt the edge weights."""
import numpy as np


def build_precision(theta, p):
    Q = np.zeros((p, p))
    iu = np.triu_indices(p, 1)
    Q[iu] = theta
    Q = Q + Q.T
    dom = np.sum(np.abs(Q), axis=1) + 1.0
    np.fill_diagonal(Q, dom)
    return Q


def loglik(theta, X):
    p = X.shape[1]
    Q = build_precision(theta, p)
    sign, logdet = np.linalg.slogdet(Q)
    S = X.T @ X / X.shape[0]
    return -0.5 * X.shape[0] * (np.trace(S @ Q) - logdet) - 0.1 * np.sum(theta ** 2)


rng = np.random.default_rng(16)
p = 4
X = rng.standard_normal((20, p))
f = loglik
ARGS = (0.3 * rng.standard_normal(p * (p - 1) // 2), X)
