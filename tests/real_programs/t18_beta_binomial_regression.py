"""Beta-binomial regression for over-dispersed success counts (e.g. batting or clinic success
rates): the mean through a logistic link of covariates, a log concentration, and the likelihood
written with scipy.special.gammaln and betaln."""
import numpy as np
from scipy.special import betaln, expit, gammaln


def log_choose(n, k):
    return gammaln(n + 1) - gammaln(k + 1) - gammaln(n - k + 1)


def neg_log_lik(beta, log_phi, X, k, n, prior_sd=2.0):
    m = expit(X @ beta)
    phi = np.exp(log_phi)
    a = m * phi
    b = (1 - m) * phi
    ll = log_choose(n, k) + betaln(k + a, n - k + b) - betaln(a, b)
    return -np.sum(ll) + 0.5 * np.sum(beta ** 2) / prior_sd ** 2


rng = np.random.default_rng(518)
n_obs = 50
X = np.column_stack([np.ones(n_obs), rng.standard_normal((n_obs, 2))])
true_beta = np.array([-0.5, 0.8, -0.4])
n = rng.integers(5, 40, n_obs).astype(float)
p = rng.beta(expit(X @ true_beta) * 20, (1 - expit(X @ true_beta)) * 20)
k = rng.binomial(n.astype(int), p).astype(float)

f = neg_log_lik
KW = {"wrt": ("beta", "log_phi")}
ARGS = (np.array([-0.2, 0.5, 0.0]), np.log(10.0), X, k, n)
