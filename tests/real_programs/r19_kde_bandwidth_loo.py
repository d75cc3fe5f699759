"""Choosing a Gaussian kernel density bandwidth by leave-one-out log-likelihood: the pairwise
log-kernel matrix gets -inf on its diagonal, rows are reduced with scipy's logsumexp; the argument
is the scalar log-bandwidth."""
import numpy as np
from scipy.special import logsumexp


def loo_log_likelihood(log_h, X):
    n, d = X.shape
    h = np.exp(log_h)
    sq = np.sum((X[:, None, :] - X[None, :, :]) ** 2, axis=-1)
    log_k = -sq / (2 * h ** 2) - d * (log_h + 0.5 * np.log(2 * np.pi))
    log_k[np.diag_indices(n)] = -np.inf
    return np.sum(logsumexp(log_k, axis=1) - np.log(n - 1))


def loss(log_h, X):
    return -loo_log_likelihood(log_h, X) / X.shape[0]


rng = np.random.default_rng(119)
X = np.concatenate([rng.normal(0, 1, (30, 2)), rng.normal(3, 0.5, (20, 2))])
f = loss
ARGS = (np.log(0.5), X)
