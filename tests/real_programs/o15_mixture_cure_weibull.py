"""Mixture cure model for time-to-relapse data: a logistic incidence part (the probability of being
uncured) and a Weibull proportional-hazards latency part for the uncured.  Observed events
contribute (1 - pi) f_u(t), censored times pi + (1 - pi) S_u(t); boolean-mask selections pick each
group, and a log-likelihood array is filled by masked writes.  Differentiated w.r.t. the
parameter dict."""
import numpy as np


def weibull_parts(t, log_k, lin):
    k = np.exp(log_k)
    lam = np.exp(lin)
    H = lam * t ** k
    log_h = lin + log_k + (k - 1) * np.log(t)
    return log_h, H


def neg_loglik(params, t, event, X):
    logit_uncured = X @ params["gamma"] + params["g0"]
    log_p_unc = -np.logaddexp(0.0, -logit_uncured)
    log_p_cured = -np.logaddexp(0.0, logit_uncured)
    log_h, H = weibull_parts(t, params["log_k"], X @ params["beta"] + params["b0"])
    ll = np.zeros_like(t)
    ev = event == 1
    ll[ev] = log_p_unc[ev] + log_h[ev] - H[ev]
    cen = ~ev
    ll[cen] = np.logaddexp(log_p_cured[cen], log_p_unc[cen] - H[cen])
    prior = 0.01 * (np.sum(params["gamma"] ** 2) + np.sum(params["beta"] ** 2))
    return -np.sum(ll) + prior


rng = np.random.default_rng(15)
n, p = 80, 3
X = rng.standard_normal((n, p))
cured = rng.uniform(size=n) < 1 / (1 + np.exp(-(X @ np.array([0.5, -1.0, 0.2]) + 0.3)))
t_event = (rng.exponential(size=n) / np.exp(X @ np.array([0.3, 0.2, -0.4]))) ** (1 / 1.5)
t_cens = rng.uniform(0.5, 4.0, n)
t = np.where(cured, t_cens, np.minimum(t_event, t_cens))
event = ((~cured) & (t_event < t_cens)).astype(int)
params = {"gamma": 0.1 * rng.standard_normal(p), "g0": 0.1, "beta": 0.1 * rng.standard_normal(p),
          "b0": -0.2, "log_k": 0.3}
f = neg_loglik
ARGS = (params, t, event, X)
