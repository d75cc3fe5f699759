"""Unscented Kalman filter log-likelihood for a pendulum observed through sin(theta): sigma points
from a Cholesky factor (a helper building a list with two for loops), the filter state a NamedTuple
(mean, cov) passed between predict/update helpers, process/measurement noise and pendulum length in
log space; the marginal log-likelihood is maximised over them."""
from typing import NamedTuple

import numpy as np


class Gaussian(NamedTuple):
    mean: np.ndarray
    cov: np.ndarray


def sigma_points(g, lam):
    n = g.mean.shape[0]
    L = np.linalg.cholesky((n + lam) * g.cov)
    pts = [g.mean]
    for i in range(n):
        pts.append(g.mean + L[:, i])
    for i in range(n):
        pts.append(g.mean - L[:, i])
    return np.array(pts)


def ut_weights(n, lam, alpha=1.0, beta=2.0):
    wm = np.full(2 * n + 1, 0.5 / (n + lam))
    wc = wm.copy()
    wm[0] = lam / (n + lam)
    wc[0] = lam / (n + lam) + (1 - alpha ** 2 + beta)
    return wm, wc


def dynamics(X, length, dt=0.05, g=9.81):
    theta, omega = X[:, 0], X[:, 1]
    return np.stack([theta + dt * omega, omega - dt * g / length * np.sin(theta)], axis=1)


def predict(belief, Q, length, lam, wm, wc):
    X = dynamics(sigma_points(belief, lam), length)
    mean = wm @ X
    d = X - mean
    return Gaussian(mean, (wc[:, None] * d).T @ d + Q)


def update(belief, z, R, lam, wm, wc):
    X = sigma_points(belief, lam)
    Z = np.sin(X[:, 0])
    z_hat = wm @ Z
    S = wc @ (Z - z_hat) ** 2 + R
    C = (wc * (Z - z_hat)) @ (X - belief.mean)
    K = C / S
    innov = z - z_hat
    ll = -0.5 * (np.log(2 * np.pi * S) + innov ** 2 / S)
    return Gaussian(belief.mean + K * innov, belief.cov - S * np.outer(K, K)), ll


def neg_log_lik(log_params, zs, x0):
    q, r, length = np.exp(log_params)
    Q = np.diag([1e-4, q])
    n = 2
    lam = 3.0 - n
    wm, wc = ut_weights(n, lam)
    belief = Gaussian(x0, np.diag([0.05, 0.05]))
    total = 0.0
    for z in zs:
        belief = predict(belief, Q, length, lam, wm, wc)
        belief, ll = update(belief, z, r, lam, wm, wc)
        total = total + ll
    return -total


rng = np.random.default_rng(706)
x = np.array([1.0, 0.0])
zs = []
for _ in range(30):
    x = np.array([x[0] + 0.05 * x[1], x[1] - 0.05 * 9.81 / 1.3 * np.sin(x[0])]) + [0, 0.02 * rng.standard_normal()]
    zs.append(np.sin(x[0]) + 0.05 * rng.standard_normal())
zs = np.array(zs)

f = neg_log_lik
ARGS = (np.log(np.array([5e-4, 3e-3, 1.1])), zs, np.array([0.9, 0.1]))
