"""Point-cloud alignment with a rotation parameterised by the QR factor of a free 3x3 matrix (signs of
R's diagonal moved into Q, det fixed by flipping a column), translation, and a cross-product term
(np.cross) penalising normal misalignment; robust Geman-McClure residuals."""
import numpy as np


def rotation_from(A):
    Q, R = np.linalg.qr(A)
    Q = Q * np.sign(np.diag(R))
    if np.linalg.det(Q) < 0:
        Q[:, 2] = -Q[:, 2]
    return Q


def align_loss(A, t, src, dst, n_src, n_dst, c=0.5):
    Rm = rotation_from(A)
    moved = src @ Rm.T + t
    r2 = np.sum((moved - dst) ** 2, axis=1)
    gm = r2 / (r2 + c ** 2)
    n_rot = n_src @ Rm.T
    mis = np.linalg.norm(np.cross(n_rot, n_dst), axis=1)
    return np.mean(gm) + 0.1 * np.mean(mis ** 2)


rng = np.random.default_rng(116)
src = rng.standard_normal((20, 3))
ang = 0.4
R_true = np.array([[np.cos(ang), -np.sin(ang), 0], [np.sin(ang), np.cos(ang), 0], [0, 0, 1.0]])
t_true = np.array([0.3, -0.2, 0.5])
dst = src @ R_true.T + t_true + 0.02 * rng.standard_normal((20, 3))
n_src = rng.standard_normal((20, 3))
n_src /= np.linalg.norm(n_src, axis=1, keepdims=True)
n_dst = n_src @ R_true.T
A = R_true + 0.1 * rng.standard_normal((3, 3))
t = t_true + 0.05 * rng.standard_normal(3)

f = align_loss
ARGS = (A, t, src, dst, n_src, n_dst)
KW = {"wrt": ("A", "t")}
