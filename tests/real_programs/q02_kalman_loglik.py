"""Kalman filter log-likelihood of a 2-d constant-velocity model observed in position, the noise
levels (log scale) and the transition damping learned by maximum likelihood."""
import numpy as np

def kalman_loglik(theta, ys, dt=0.1):
    log_q, log_r, damp = theta["log_q"], theta["log_r"], theta["damp"]
    q, r = np.exp(log_q), np.exp(log_r)
    A = np.array([[1.0, dt], [0.0, damp]])
    H = np.array([[1.0, 0.0]])
    Q = q * np.array([[dt ** 3 / 3, dt ** 2 / 2], [dt ** 2 / 2, dt]])
    R = np.array([[r]])
    m = np.zeros(2)
    P = np.eye(2)
    ll = 0.0
    for t in range(ys.shape[0]):
        # predict
        m = A @ m
        P = A @ P @ A.T + Q
        # update
        v = ys[t] - H @ m
        S = H @ P @ H.T + R
        K = P @ H.T @ np.linalg.inv(S)
        m = m + K @ v
        P = (np.eye(2) - K @ H) @ P
        sign, logdet = np.linalg.slogdet(2 * np.pi * S)
        ll = ll - 0.5 * (logdet + v @ np.linalg.solve(S, v))
    return -ll

rng = np.random.default_rng(2)
T = 25
x = np.cumsum(np.cumsum(rng.standard_normal(T)) * 0.1) * 0.1
ys = (x + 0.3 * rng.standard_normal(T))[:, None]
theta = {"log_q": np.log(0.5), "log_r": np.log(0.1), "damp": 0.95}
f = kalman_loglik
KW = dict(wrt="theta")
ARGS = (theta, ys)
EXTRA = ["numba"]
