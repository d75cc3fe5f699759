"""Exponential-family density on an interval [lo, hi] with Legendre-polynomial sufficient
statistics: the log-normalizer is a Gauss-Legendre quadrature (np.polynomial.legendre.leggauss
nodes mapped to the interval) of exp(theta . phi(x)), features from legvander; negative
log-likelihood of samples plus a ridge prior."""
import numpy as np
from numpy.polynomial import legendre


def features(x, lo, hi, degree):
    u = 2.0 * (x - lo) / (hi - lo) - 1.0
    return legendre.legvander(u, degree)[:, 1:]


def log_normalizer(theta, lo, hi, n_nodes=32):
    nodes, weights = legendre.leggauss(n_nodes)
    x = 0.5 * (hi - lo) * nodes + 0.5 * (hi + lo)
    logf = features(x, lo, hi, len(theta)) @ theta
    m = logf.max()
    return m + np.log(0.5 * (hi - lo) * np.sum(weights * np.exp(logf - m)))


def nll(theta, samples, lo=0.0, hi=5.0, ridge=1e-2):
    logZ = log_normalizer(theta, lo, hi)
    return -np.mean(features(samples, lo, hi, len(theta)) @ theta - logZ) + ridge * np.sum(theta ** 2)


rng = np.random.default_rng(525)
samples = np.clip(rng.gamma(3.0, 0.6, 200), 0.01, 4.99)

f = nll
ARGS = (np.array([-0.5, -0.8, 0.2, 0.1, 0.0]), samples)
