"""Negative-binomial regression for over-dispersed counts with an exposure offset; the
log-likelihood written out with gammaln, differentiated in the coefficients and in the log of the
dispersion parameter together."""
import numpy as np
from scipy.special import gammaln


def negbin_loglik(y, mu, r):
    return (gammaln(y + r) - gammaln(r) - gammaln(y + 1)
            + r * np.log(r / (r + mu)) + y * np.log(mu / (r + mu)))


def nll(beta, log_r, X, y, exposure, prior_scale=5.0):
    eta = X @ beta + np.log(exposure)
    mu = np.exp(eta)
    r = np.exp(log_r)
    ll = negbin_loglik(y, mu, r).sum()
    log_prior = -0.5 * np.sum(beta[1:] ** 2) / prior_scale ** 2
    return -(ll + log_prior) / len(y)


rng = np.random.default_rng(116)
n, p = 80, 4
X = np.column_stack([np.ones(n), rng.standard_normal((n, p - 1))])
exposure = rng.uniform(0.5, 3.0, n)
beta_true = np.array([0.5, 0.3, -0.2, 0.1])
mu_true = exposure * np.exp(X @ beta_true)
y = rng.negative_binomial(3.0, 3.0 / (3.0 + mu_true)).astype(float)

f = nll
KW = {"wrt": (0, 1)}
ARGS = (np.array([0.3, 0.1, 0.0, 0.0]), np.log(2.0), X, y, exposure)
