"""Cholesky by hand (Cholesky-Banachiewicz) into a preallocated lower triangle, used for a GP
marginal likelihood; kernel hyperparameters (log lengthscale, log variance, log noise)."""
import numpy as np


def cholesky(K):
    n = K.shape[0]
    L = np.zeros_like(K)
    for i in range(n):
        for j in range(i + 1):
            s = K[i, j] - np.dot(L[i, :j], L[j, :j])
            if i == j:
                L[i, j] = np.sqrt(s)
            else:
                L[i, j] = s / L[j, j]
    return L


def forward_sub(L, b):
    z = np.zeros_like(b)
    for i in range(len(b)):
        z[i] = (b[i] - L[i, :i] @ z[:i]) / L[i, i]
    return z


def nll(theta, X, y):
    ell, var, noise = np.exp(theta)
    d2 = (X[:, None] - X[None, :]) ** 2
    K = var * np.exp(-0.5 * d2 / ell ** 2)
    K[np.diag_indices_from(K)] += noise
    L = cholesky(K)
    alpha = forward_sub(L, y)
    return 0.5 * alpha @ alpha + np.sum(np.log(np.diag(L))) + 0.5 * len(y) * np.log(2 * np.pi)


rng = np.random.default_rng(7)
X = np.sort(rng.uniform(0, 5, 8))
y = np.sin(X) + 0.1 * rng.standard_normal(8)
f = nll
ARGS = (np.array([0.1, 0.2, -2.0]), X, y)
