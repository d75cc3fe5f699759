"""Kalman filter for a constant-velocity model with covariance updated in place (P -= K @ S @ K.T,
P[:] = 0.5 * (P + P.T) symmetrisation) and the state vector updated with x += K @ r; negative
log-likelihood wrt log process/measurement noise."""
import numpy as np


def nll(log_q, ys, dt=0.1):
    q, r = np.exp(log_q[0]), np.exp(log_q[1])
    F = np.array([[1.0, dt], [0.0, 1.0]])
    Q = q * np.array([[dt ** 3 / 3, dt ** 2 / 2], [dt ** 2 / 2, dt]])
    H = np.array([[1.0, 0.0]])
    x = np.zeros(2)
    P = np.eye(2)
    total = 0.0
    for y in ys:
        x = F @ x
        P = F @ P @ F.T + Q
        S = H @ P @ H.T + r
        K = P @ H.T / S
        res = y - (H @ x)[0]
        total += 0.5 * (np.log(2 * np.pi * S[0, 0]) + res ** 2 / S[0, 0])
        x += K[:, 0] * res
        P -= K @ S @ K.T
        P[:] = 0.5 * (P + P.T)
    return total


rng = np.random.default_rng(18)
t = np.arange(15) * 0.1
ys = 2.0 * t + 0.3 * rng.standard_normal(15)
f = nll
ARGS = (np.array([-1.0, -2.0]), ys)
