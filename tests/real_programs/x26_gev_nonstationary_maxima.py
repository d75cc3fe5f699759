"""Extreme-value analysis of annual maximum river flows with a non-stationary GEV distribution:
the location drifts linearly with the year, scale through exp, shape xi; the negative
log-likelihood returns early with np.inf when any observation falls outside the support
(1 + xi z <= 0) and switches to the Gumbel limit when |xi| is tiny (an if/else on a float), as
hand-written EVA code does; the 100-year return level for the last year is added as a soft
constraint to a prior engineering estimate, differentiated w.r.t. the parameter array."""
import numpy as np


def gev_nll(theta, years, flows):
    mu0, mu1, log_sigma, xi = theta
    sigma = np.exp(log_sigma)
    mu = mu0 + mu1 * (years - years.mean()) / 10.0
    z = (flows - mu) / sigma
    if abs(xi) < 1e-6:
        return np.sum(log_sigma + z + np.exp(-z))
    t = 1.0 + xi * z
    if np.any(t <= 0):
        return np.inf
    return np.sum(log_sigma + (1.0 + 1.0 / xi) * np.log(t) + t ** (-1.0 / xi))


def return_level(theta, year, years, period=100.0):
    mu0, mu1, log_sigma, xi = theta
    mu = mu0 + mu1 * (year - years.mean()) / 10.0
    y = -np.log(1.0 - 1.0 / period)
    return mu + np.exp(log_sigma) / xi * (y ** (-xi) - 1.0)


def objective(theta, years, flows, design_flow=900.0):
    rl = return_level(theta, years[-1], years)
    return gev_nll(theta, years, flows) + 0.5 * ((rl - design_flow) / 50.0) ** 2


rng = np.random.default_rng(2626)
years = np.arange(1960.0, 2020.0)
mu_t = 400.0 + 1.5 * (years - years.mean())
u = rng.random(len(years))
xi_true, sig_true = 0.1, 90.0
flows = mu_t + sig_true / xi_true * ((-np.log(u)) ** (-xi_true) - 1.0)
f = objective
ARGS = (np.array([390.0, 10.0, np.log(80.0), 0.05]), years, flows)
