"""Rauch-Tung-Striebel smoothing of a constant-velocity tracker: the forward Kalman filter keeps
lists of predicted/filtered means and covariances (appended in the loop, np.stack after), the
backward pass runs over reversed(range(T-1)) with np.linalg.inv for the smoother gain and writes
into preallocated arrays (xs[t] = ...); the loss is the smoothed-position error against the ground
truth, differentiated w.r.t. the log process and measurement noise (tuning a smoother)."""
from typing import NamedTuple

import numpy as np


class FilterOut(NamedTuple):
    m_pred: np.ndarray
    P_pred: np.ndarray
    m_filt: np.ndarray
    P_filt: np.ndarray


def kalman_filter(ys, F, H, Q, R, m0, P0):
    m, P = m0, P0
    mp, Pp, mf, Pf = [], [], [], []
    for y in ys:
        m, P = F @ m, F @ P @ F.T + Q
        mp.append(m)
        Pp.append(P)
        S = H @ P @ H.T + R
        K = np.linalg.solve(S, H @ P).T
        m = m + K @ (y - H @ m)
        P = (np.eye(len(m)) - K @ H) @ P
        mf.append(m)
        Pf.append(P)
    return FilterOut(np.stack(mp), np.stack(Pp), np.stack(mf), np.stack(Pf))


def rts_smoother(out, F):
    T = out.m_filt.shape[0]
    xs = out.m_filt.copy()
    Ps = out.P_filt.copy()
    for t in reversed(range(T - 1)):
        G = out.P_filt[t] @ F.T @ np.linalg.inv(out.P_pred[t + 1])
        xs[t] = out.m_filt[t] + G @ (xs[t + 1] - out.m_pred[t + 1])
        Ps[t] = out.P_filt[t] + G @ (Ps[t + 1] - out.P_pred[t + 1]) @ G.T
    return xs, Ps


def smoothing_error(log_noise, ys, truth, dt=0.1):
    q, r = np.exp(log_noise[0]), np.exp(log_noise[1])
    F = np.array([[1.0, dt], [0.0, 1.0]])
    H = np.array([[1.0, 0.0]])
    Q = q * np.array([[dt ** 3 / 3, dt ** 2 / 2], [dt ** 2 / 2, dt]])
    R = np.array([[r]])
    out = kalman_filter(ys, F, H, Q, R, np.zeros(2), np.eye(2))
    xs, Ps = rts_smoother(out, F)
    return np.mean((xs[:, 0] - truth) ** 2) + 1e-3 * np.mean(Ps[:, 0, 0])


rng = np.random.default_rng(2009)
T = 30
acc = 0.5 * rng.standard_normal(T)
vel = np.cumsum(acc) * 0.1
truth = np.cumsum(vel) * 0.1
ys = (truth + 0.2 * rng.standard_normal(T))[:, None]
f = smoothing_error
ARGS = (np.array([np.log(0.3), np.log(0.05)]), ys, truth)
