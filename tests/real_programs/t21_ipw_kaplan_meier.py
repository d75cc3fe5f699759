"""Inverse-propensity-weighted Kaplan-Meier curves: a logistic propensity model gives each subject
a weight, subjects are sorted by time (np.argsort), weighted numbers at risk come from a reversed
cumsum and the survival curve from np.cumprod; the loss is a weighted covariate-balance term plus
the gap in restricted mean survival between arms, with the propensity log-likelihood."""
import numpy as np


def weighted_km(times, events, weights):
    order = np.argsort(times)
    t = times[order]
    d = events[order] * weights[order]
    w = weights[order]
    at_risk = np.cumsum(w[::-1])[::-1]
    surv = np.cumprod(1.0 - d / at_risk)
    return t, surv


def rmst(t, surv, horizon):
    t_clip = np.minimum(t, horizon)
    widths = np.diff(np.concatenate([[0.0], t_clip]))
    s_prev = np.concatenate([[1.0], surv[:-1]])
    return np.sum(widths * s_prev)


def loss(coef, X, treated, times, events, horizon=3.0):
    e = 1.0 / (1.0 + np.exp(-(X @ coef)))
    loglik = np.sum(treated * np.log(e) + (1 - treated) * np.log(1 - e))
    w = np.where(treated == 1, 1.0 / e, 1.0 / (1.0 - e))
    arms = {}
    for arm in (0, 1):
        m = treated == arm
        t, s = weighted_km(times[m], events[m], w[m])
        arms[arm] = rmst(t, s, horizon)
    balance = 0.0
    for j in range(X.shape[1]):
        m1 = np.sum(w * treated * X[:, j]) / np.sum(w * treated)
        m0 = np.sum(w * (1 - treated) * X[:, j]) / np.sum(w * (1 - treated))
        balance += (m1 - m0) ** 2
    return -loglik / len(X) + 10.0 * balance + 0.1 * (arms[1] - arms[0]) ** 2


rng = np.random.default_rng(521)
n = 80
X = np.column_stack([np.ones(n), rng.standard_normal((n, 2))])
treated = (rng.random(n) < 1 / (1 + np.exp(-(0.3 + 0.8 * X[:, 1])))).astype(float)
times = rng.exponential(2.0 * np.exp(0.3 * treated - 0.2 * X[:, 2]))
events = (rng.random(n) < 0.8).astype(float)

f = loss
ARGS = (np.array([0.1, 0.5, 0.0]), X, treated, times, events)
