"""Zero-inflated Poisson regression: a logistic model for structural zeros and a log-linear Poisson
rate, zeros mixing both parts with np.logaddexp, positive counts from the Poisson part with
gammaln; two coefficient vectors in a tuple, unpacked in the loss."""
import numpy as np
from scipy.special import gammaln


def log_sigmoid(z):
    return -np.logaddexp(0.0, -z)


def zip_nll(coefs, X, Z, y):
    beta, gamma = coefs
    log_lam = X @ beta
    lam = np.exp(log_lam)
    logit_pi = Z @ gamma
    log_pi = log_sigmoid(logit_pi)
    log_1m_pi = log_sigmoid(-logit_pi)
    zero = y == 0
    ll_zero = np.logaddexp(log_pi, log_1m_pi - lam)
    ll_pos = log_1m_pi + y * log_lam - lam - gammaln(y + 1)
    ll = np.where(zero, ll_zero, ll_pos)
    return -ll.mean()


rng = np.random.default_rng(33)
n = 100
X = np.column_stack([np.ones(n), rng.standard_normal(n)])
Z = np.column_stack([np.ones(n), rng.standard_normal(n)])
structural = rng.random(n) < 1 / (1 + np.exp(-(Z @ np.array([-0.5, 1.0]))))
y = np.where(structural, 0, rng.poisson(np.exp(X @ np.array([1.0, 0.4])))).astype(float)
f = zip_nll
ARGS = ((np.array([0.8, 0.2]), np.array([0.0, 0.5])), X, Z, y)
