"""Fitting a cubic Bezier curve to noisy 2-D samples: chord-length parameterisation of the data,
Bernstein basis from scipy.special.comb, squared error plus a bending penalty on the second
differences of the control polygon."""
import numpy as np
from scipy.special import comb


def bernstein(t, degree):
    i = np.arange(degree + 1)
    return comb(degree, i) * t[:, None] ** i * (1 - t[:, None]) ** (degree - i)


def chord_length_params(points):
    seg = np.linalg.norm(np.diff(points, axis=0), axis=1)
    s = np.concatenate([[0.0], np.cumsum(seg)])
    return s / s[-1]


def bezier(ctrl, t):
    return bernstein(t, len(ctrl) - 1) @ ctrl


def fit_loss(ctrl, points, t, bend=0.05):
    resid = bezier(ctrl, t) - points
    data = np.mean(np.sum(resid ** 2, axis=1))
    bending = np.sum(np.linalg.norm(np.diff(ctrl, n=2, axis=0), axis=1) ** 2)
    return data + bend * bending


rng = np.random.default_rng(114)
true_ctrl = np.array([[0.0, 0.0], [0.3, 1.0], [0.8, -0.4], [1.0, 0.5]])
t_true = np.sort(rng.uniform(0, 1, 40))
points = bezier(true_ctrl, t_true) + 0.01 * rng.standard_normal((40, 2))
t = chord_length_params(points)

f = fit_loss
ARGS = (true_ctrl + 0.1 * rng.standard_normal((4, 2)), points, t)
