"""Weibull accelerated-failure-time model with right censoring: log T = x'beta + sigma * W with W
standard Gumbel (minimum); events contribute the log density, censored rows the log survival,
selected with a boolean event mask."""
import numpy as np


def weibull_aft_nll(params, X, t, event):
    beta = params["beta"]
    sigma = np.exp(params["log_sigma"])
    z = (np.log(t) - X @ beta) / sigma
    log_surv = -np.exp(z)
    log_dens = z - np.exp(z) - np.log(sigma) - np.log(t)
    ll = np.sum(log_dens[event]) + np.sum(log_surv[~event])
    return -ll / len(t)


rng = np.random.default_rng(10)
n = 90
X = np.column_stack([np.ones(n), rng.standard_normal(n), rng.integers(0, 2, n)])
beta_true = np.array([2.0, 0.5, -0.7])
w = np.log(rng.exponential(size=n))
T = np.exp(X @ beta_true + 0.6 * w)
C = rng.exponential(12.0, n)
t = np.minimum(T, C)
event = T <= C
params = {"beta": np.array([1.5, 0.2, 0.0]), "log_sigma": np.log(0.8)}

f = weibull_aft_nll
KW = dict(wrt="params")
ARGS = (params, X, t, event)
