"""Interval-censored lognormal regression (time-to-failure inspected at visits): log-likelihood of
the interval (L, R] as ndtr(zR) - ndtr(zL) with scipy.special, right-censored ones by log_ndtr(-z),
exact ones by the density; a gamma prior on sigma with gammaln; Python loop over the three kinds."""
import numpy as np
from scipy.special import ndtr, log_ndtr, gammaln


def negloglik(theta, Xd, L, R, kind):
    beta, log_sigma = theta[:-1], theta[-1]
    sigma = np.exp(log_sigma)
    mu = Xd @ beta
    total = 0.0
    for k in ("exact", "interval", "right"):
        m = kind == k
        if not np.any(m):
            continue
        zl = (np.log(L[m]) - mu[m]) / sigma
        if k == "exact":
            total += np.sum(-0.5 * zl ** 2 - 0.5 * np.log(2 * np.pi) - log_sigma - np.log(L[m]))
        elif k == "interval":
            zr = (np.log(R[m]) - mu[m]) / sigma
            total += np.sum(np.log(ndtr(zr) - ndtr(zl)))
        else:
            total += np.sum(log_ndtr(-zl))
    a, b = 2.0, 2.0
    prior = a * np.log(b) - gammaln(a) + (a - 1) * np.log(sigma) - b * sigma
    return -(total + prior)


rng = np.random.default_rng(119)
n = 40
Xd = np.column_stack([np.ones(n), rng.standard_normal(n), rng.integers(0, 2, n)])
T = np.exp(Xd @ np.array([1.5, 0.3, -0.4]) + 0.5 * rng.standard_normal(n))
kind = rng.choice(np.array(["exact", "interval", "right"]), n, p=[0.3, 0.5, 0.2])
L = np.where(kind == "interval", np.floor(T), T)
L = np.where(kind == "right", T * 0.8, L)
L = np.maximum(L, 0.3)
R = np.where(kind == "interval", np.floor(T) + 1.0, np.inf)
theta = np.array([1.4, 0.25, -0.3, np.log(0.6)])

f = negloglik
ARGS = (theta, Xd, L, R, kind)
