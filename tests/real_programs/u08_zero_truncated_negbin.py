"""Zero-truncated negative binomial regression (e.g. length of hospital stay, observed only when
>= 1): NB2 log-pmf with scipy.special.gammaln, renormalised by log1p(-P(Y=0))."""
import numpy as np
from scipy.special import gammaln


def zt_negbin_nll(params, X, y):
    mu = np.exp(X @ params["beta"])
    r = np.exp(params["log_r"])
    p = r / (r + mu)
    logpmf = (gammaln(y + r) - gammaln(r) - gammaln(y + 1)
              + r * np.log(p) + y * np.log(mu / (r + mu)))
    p0 = (r / (r + mu)) ** r
    return -np.sum(logpmf - np.log1p(-p0))


rng = np.random.default_rng(608)
n = 80
X = np.column_stack([np.ones(n), rng.standard_normal(n), rng.integers(0, 2, n)])
mu_true = np.exp(X @ np.array([1.0, 0.4, -0.3]))
draws = rng.negative_binomial(2.0, 2.0 / (2.0 + mu_true))
keep = draws > 0
X, y = X[keep], draws[keep].astype(float)
params = {"beta": np.array([0.8, 0.3, -0.2]), "log_r": 0.5}

f = zt_negbin_nll
ARGS = (params, X, y)
