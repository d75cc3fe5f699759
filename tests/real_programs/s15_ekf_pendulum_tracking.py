"""Extended Kalman filter for a pendulum observed through the horizontal bob position; the
innovation log-likelihood is maximised over the damping and noise parameters.  State and
covariance live in a small dataclass; the dynamics Jacobian is written by hand, as usual in EKF
code."""
from dataclasses import dataclass

import numpy as np

G, L, DT = 9.81, 1.0, 0.05


@dataclass
class Belief:
    mean: np.ndarray
    cov: np.ndarray


def transition(x, damping):
    theta, omega = x
    return np.array([theta + DT * omega, omega - DT * (G / L * np.sin(theta) + damping * omega)])


def transition_jac(x, damping):
    theta, _ = x
    return np.array([[1.0, DT], [-DT * G / L * np.cos(theta), 1.0 - DT * damping]])


def observe(x):
    return L * np.sin(x[0])


def predict(b, damping, Q):
    F = transition_jac(b.mean, damping)
    return Belief(transition(b.mean, damping), F @ b.cov @ F.T + Q)


def update(b, y, R):
    Hrow = np.array([L * np.cos(b.mean[0]), 0.0])
    S = Hrow @ b.cov @ Hrow + R
    K = b.cov @ Hrow / S
    innov = y - observe(b.mean)
    mean = b.mean + K * innov
    cov = (np.eye(2) - np.outer(K, Hrow)) @ b.cov
    ll = -0.5 * (np.log(2 * np.pi * S) + innov ** 2 / S)
    return Belief(mean, cov), ll


def ekf_nll(theta, ys):
    damping = np.exp(theta["log_damping"])
    Q = np.diag(np.exp(theta["log_q"]))
    R = np.exp(theta["log_r"])
    b = Belief(np.array([0.8, 0.0]), 0.1 * np.eye(2))
    total = 0.0
    for y in ys:
        b = predict(b, damping, Q)
        b, ll = update(b, y, R)
        total += ll
    return -total


rng = np.random.default_rng(15)
x = np.array([0.9, 0.0])
ys = []
for _ in range(40):
    x = transition(x, 0.3) + np.array([0.0, 0.01 * rng.standard_normal()])
    ys.append(observe(x) + 0.05 * rng.standard_normal())
theta = {"log_damping": np.log(0.2), "log_q": np.log(np.array([1e-5, 2e-4])), "log_r": np.log(0.003)}

f = ekf_nll
KW = dict(wrt="theta")
ARGS = (theta, np.array(ys))
