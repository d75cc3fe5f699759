import numpy as np
from scipy.special import expit
from scipy.stats import norm

def log_posterior(w, X, y, prior_scale=2.0):
    logits = X @ w
    p = expit(logits)
    log_lik = np.sum(y * np.log(p) + (1 - y) * np.log1p(-p))
    log_prior = np.sum(norm.logpdf(w, loc=0.0, scale=prior_scale))
    return log_lik + log_prior

rng = np.random.default_rng(23)
X = np.c_[np.ones(40), rng.standard_normal((40, 3))]
y = (rng.random(40) < 0.5).astype(float)
f = log_posterior
ARGS = (0.3 * rng.standard_normal(4), X, y)
