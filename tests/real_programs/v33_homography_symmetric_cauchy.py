"""Homography refinement from point matches: the 3x3 matrix from 8 parameters with np.append(h, 1.0)
and reshape, projection via homogeneous coordinates (np.hstack with a column of ones, divide by the
last column), the symmetric transfer error (forward with H, backward with np.linalg.inv(H)) under a
Cauchy robust loss written with np.log1p."""
import numpy as np


def to_matrix(h8):
    return np.append(h8, 1.0).reshape(3, 3)


def project(H, pts):
    ph = np.hstack([pts, np.ones((len(pts), 1))]) @ H.T
    return ph[:, :2] / ph[:, 2:3]


def cauchy(sq, c):
    return c ** 2 / 2 * np.log1p(sq / c ** 2)


def symmetric_loss(h8, src, dst, c=0.05):
    H = to_matrix(h8)
    fwd = np.sum((project(H, src) - dst) ** 2, axis=1)
    bwd = np.sum((project(np.linalg.inv(H), dst) - src) ** 2, axis=1)
    return np.sum(cauchy(fwd, c)) + np.sum(cauchy(bwd, c))


rng = np.random.default_rng(733)
H_true = np.array([[1.05, 0.1, 0.2], [-0.05, 0.95, -0.1], [0.02, -0.03, 1.0]])
src = rng.uniform(-1, 1, (25, 2))
dst = project(H_true, src) + 0.005 * rng.standard_normal((25, 2))
dst[3] += np.array([0.4, -0.3])
f = symmetric_loss
ARGS = ((H_true + 0.02 * rng.standard_normal((3, 3))).ravel()[:8], src, dst)
