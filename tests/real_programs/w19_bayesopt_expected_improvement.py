"""Bayesian optimisation: a GP surrogate class (fit() stores the Cholesky factor and alpha on the
object, predict() returns mean and std), the expected-improvement acquisition computed per
candidate with math.erf / math.exp on Python floats, summed in log space over a batch of
candidates; the acquisition is maximised by gradient ascent, so the gradient is w.r.t. the
candidate locations (and the GP's own parameters stay data)."""
import math

import numpy as np


class GP:
    def __init__(self, lengthscale=0.4, variance=1.0, noise=1e-4):
        self.ls, self.var, self.noise = lengthscale, variance, noise

    def kernel(self, A, B):
        d2 = np.sum((A[:, None, :] - B[None, :, :]) ** 2, axis=-1)
        return self.var * np.exp(-0.5 * d2 / self.ls ** 2)

    def fit(self, X, y):
        self.X = X
        self.mean_y = y.mean()
        K = self.kernel(X, X) + self.noise * np.eye(len(X))
        self.L = np.linalg.cholesky(K)
        self.alpha = np.linalg.solve(self.L.T, np.linalg.solve(self.L, y - self.mean_y))
        return self

    def predict(self, Xs):
        Ks = self.kernel(Xs, self.X)
        mu = self.mean_y + Ks @ self.alpha
        v = np.linalg.solve(self.L, Ks.T)
        var = self.var - np.sum(v ** 2, axis=0)
        return mu, np.sqrt(np.maximum(var, 1e-12))


def expected_improvement(mu, sigma, best, xi=0.01):
    z = (best - mu - xi) / sigma
    cdf = 0.5 * (1.0 + math.erf(z / math.sqrt(2.0)))
    pdf = math.exp(-0.5 * z * z) / math.sqrt(2.0 * math.pi)
    return sigma * (z * cdf + pdf)


def neg_log_acquisition(cands, gp, best):
    mu, sd = gp.predict(cands)
    total = 0.0
    for m, s in zip(mu, sd):
        total -= math.log(expected_improvement(float(m), float(s), best) + 1e-12)
    return total


def branin_like(X):
    return np.sin(3 * X[:, 0]) * np.cos(2 * X[:, 1]) + 0.5 * (X[:, 0] - 0.3) ** 2


rng = np.random.default_rng(2019)
X_obs = rng.random((12, 2))
y_obs = branin_like(X_obs)
gp = GP().fit(X_obs, y_obs)
f = neg_log_acquisition
cands = X_obs[np.argsort(y_obs)[:4]] + 0.15 * rng.standard_normal((4, 2))  # start near the best points
ARGS = (cands, gp, float(y_obs.min()))
