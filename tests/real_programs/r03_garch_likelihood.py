"""GARCH(1,1) Gaussian negative log-likelihood of a return series.  Unconstrained parameters in a
dict: omega = exp(log_omega), persistence alpha + beta = expit(p) and alpha's share expit(q)."""
import numpy as np
from scipy.special import expit


def unpack(params):
    omega = np.exp(params["log_omega"])
    persistence = expit(params["p"])
    alpha = persistence * expit(params["q"])
    beta = persistence - alpha
    return omega, alpha, beta


def garch_nll(params, r):
    omega, alpha, beta = unpack(params)
    T = len(r)
    sigma2 = np.empty(T)
    sigma2[0] = np.var(r)
    for t in range(1, T):
        sigma2[t] = omega + alpha * r[t - 1] ** 2 + beta * sigma2[t - 1]
    nll = 0.5 * np.sum(np.log(2 * np.pi) + np.log(sigma2) + r ** 2 / sigma2)
    return nll / T


def simulate(omega, alpha, beta, T, rng):
    r = np.zeros(T)
    s2 = omega / (1 - alpha - beta)
    for t in range(T):
        r[t] = np.sqrt(s2) * rng.standard_normal()
        s2 = omega + alpha * r[t] ** 2 + beta * s2
    return r


rng = np.random.default_rng(103)
returns = simulate(1e-5, 0.08, 0.9, 150, rng)
params = {"log_omega": np.log(2e-5), "p": 2.5, "q": -1.5}

f = garch_nll
ARGS = (params, returns)
