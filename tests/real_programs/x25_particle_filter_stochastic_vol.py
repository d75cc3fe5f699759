"""Bootstrap particle filter log-likelihood of a stochastic-volatility model of daily returns
(simulated maximum likelihood with common random numbers): h_t = mu + phi (h_{t-1} - mu) +
sigma eta_t, r_t ~ N(0, exp(h_t)); particles are propagated with standard normals drawn from a
np.random.default_rng(seed) made in the function, weighted in log space, the log-likelihood
increment is a log-mean-exp, and particles are resampled systematically (np.cumsum of the
normalised weights and np.searchsorted of a stratified grid) only when the effective sample
size falls below half; parameters are a tuple (mu, atanh(phi), log sigma)."""
import numpy as np


def systematic_resample(weights, u0):
    n = len(weights)
    positions = (u0 + np.arange(n)) / n
    cdf = np.cumsum(weights)
    cdf[-1] = 1.0
    return np.searchsorted(cdf, positions)


def sv_loglik(theta, returns, n_particles=200, seed=7):
    mu, phi_raw, log_sigma = theta
    phi, sigma = np.tanh(phi_raw), np.exp(log_sigma)
    rng = np.random.default_rng(seed)
    h = mu + sigma / np.sqrt(1 - phi ** 2) * rng.standard_normal(n_particles)
    loglik = 0.0
    for r in returns:
        h = mu + phi * (h - mu) + sigma * rng.standard_normal(n_particles)
        logw = -0.5 * (np.log(2 * np.pi) + h + r ** 2 * np.exp(-h))
        m = logw.max()
        w = np.exp(logw - m)
        loglik += m + np.log(w.mean())
        w = w / w.sum()
        u0 = rng.random()
        if 1.0 / np.sum(w ** 2) < n_particles / 2:
            h = h[systematic_resample(w, u0)]
    return -loglik


rng = np.random.default_rng(2525)
h_true, rets = -1.0, []
for _ in range(60):
    h_true = -1.0 + 0.95 * (h_true + 1.0) + 0.25 * rng.standard_normal()
    rets.append(np.exp(h_true / 2) * rng.standard_normal())
f = sv_loglik
ARGS = (np.array([-0.8, np.arctanh(0.9), np.log(0.3)]), np.array(rets))
