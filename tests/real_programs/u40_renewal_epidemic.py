"""Renewal-equation epidemic model: time-varying reproduction number as exp of a random walk
(np.cumsum), discretised gamma serial interval from scipy.stats.gamma.pdf with mean/sd
parameters, incidence filled in a loop over days (I[t] = R_t * sum w_s I_{t-s}), Poisson
likelihood with scipy.special.gammaln and a random-walk prior."""
import numpy as np
from scipy.special import gammaln
from scipy.stats import gamma as gamma_dist


def serial_interval(mean, sd, max_days=12):
    shape = (mean / sd) ** 2
    scale = sd ** 2 / mean
    w = gamma_dist.pdf(np.arange(1, max_days + 1), a=shape, scale=scale)
    return w / w.sum()


def renewal_nll(params, cases, seed_days=5):
    T = len(cases)
    R = np.exp(params["log_R0"] + np.cumsum(params["dlogR"]))
    w = serial_interval(params["si_mean"], params["si_sd"])
    I = np.zeros(T)
    I[:seed_days] = cases[:seed_days]
    for t in range(seed_days, T):
        past = I[max(0, t - len(w)):t][::-1]
        I[t] = R[t] * np.dot(w[:len(past)], past) + 1e-6
    mu = I[seed_days:]
    y = cases[seed_days:]
    ll = y * np.log(mu) - mu - gammaln(y + 1)
    return -ll.sum() + 10.0 * np.sum(params["dlogR"] ** 2)


rng = np.random.default_rng(640)
T = 40
cases = np.round(5 * np.exp(0.08 * np.arange(T)) * (1 - 0.5 * (np.arange(T) > 25)) + rng.poisson(2, T)).astype(float)
params = {"log_R0": 0.3, "dlogR": np.zeros(T), "si_mean": 5.0, "si_sd": 2.5}

f = renewal_nll
ARGS = (params, cases)
