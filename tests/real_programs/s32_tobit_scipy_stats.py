"""Tobit regression (censored at zero) fitted by maximum likelihood with scipy.stats.norm:
uncensored rows use norm.logpdf of the standardised residual, censored rows norm.logcdf, chosen
with np.where on the observed value; sigma through exp."""
import numpy as np
from scipy.stats import norm


def tobit_nll(params, X, y, lower=0.0):
    beta, log_sigma = params[:-1], params[-1]
    sigma = np.exp(log_sigma)
    mu = X @ beta
    censored = y <= lower
    ll_obs = norm.logpdf((y - mu) / sigma) - log_sigma
    ll_cens = norm.logcdf((lower - mu) / sigma)
    return -np.sum(np.where(censored, ll_cens, ll_obs))


rng = np.random.default_rng(32)
n = 80
X = np.column_stack([np.ones(n), rng.standard_normal(n), rng.uniform(0, 1, n)])
y_star = X @ np.array([0.3, 1.0, -0.8]) + 0.7 * rng.standard_normal(n)
y = np.maximum(y_star, 0.0)
f = tobit_nll
ARGS = (np.array([0.1, 0.8, -0.5, np.log(0.9)]), X, y)
