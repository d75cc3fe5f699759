"""Dirichlet-multinomial regression for compositional count data (e.g. microbiome reads):
concentration alpha = exp(X W), the log-likelihood via gammaln, shape checks with f-string
messages."""
import numpy as np
from scipy.special import gammaln


def dm_loglik(counts, alpha):
    assert counts.shape == alpha.shape, f"counts {counts.shape} vs alpha {alpha.shape}"
    n = counts.sum(axis=1)
    A = alpha.sum(axis=1)
    per_sample = (gammaln(A) - gammaln(n + A)
                  + np.sum(gammaln(counts + alpha) - gammaln(alpha), axis=1)
                  + gammaln(n + 1) - np.sum(gammaln(counts + 1), axis=1))
    return per_sample


def objective(W, X, counts, l2=1e-2):
    alpha = np.exp(X @ W)
    return -np.mean(dm_loglik(counts, alpha)) + l2 * np.sum(W[1:] ** 2)


rng = np.random.default_rng(117)
n, p, k = 50, 3, 5
X = np.column_stack([np.ones(n), rng.standard_normal((n, p - 1))])
W_true = rng.standard_normal((p, k)) * 0.5 + np.array([1.0, 0, 0])[:, None]
probs = np.array([rng.dirichlet(a) for a in np.exp(X @ W_true)])
counts = np.array([rng.multinomial(100, pr) for pr in probs]).astype(float)

f = objective
ARGS = (0.1 * rng.standard_normal((p, k)), X, counts)
