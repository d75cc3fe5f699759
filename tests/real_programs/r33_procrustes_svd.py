"""Shape registration: a deformable template point cloud is rigidly aligned to a target by
orthogonal Procrustes (SVD of the cross-covariance, reflection fixed with the determinant sign),
and the loss is the post-alignment residual plus an edge-length regulariser."""
import numpy as np


def procrustes_align(X, Y):
    mx, my = X.mean(axis=0), Y.mean(axis=0)
    Xc, Yc = X - mx, Y - my
    U, S, Vt = np.linalg.svd(Xc.T @ Yc)
    d = np.sign(np.linalg.det(U @ Vt))
    D = np.diag([1.0, 1.0, d])
    R = U @ D @ Vt
    return Xc @ R + my


def registration_loss(template, target, edges, rest_lengths, stiffness=0.5):
    aligned = procrustes_align(template, target)
    fit = np.mean(np.sum((aligned - target) ** 2, axis=1))
    lengths = np.linalg.norm(template[edges[:, 0]] - template[edges[:, 1]], axis=1)
    return fit + stiffness * np.mean((lengths - rest_lengths) ** 2)


rng = np.random.default_rng(133)
base = rng.standard_normal((20, 3)) * np.array([2.0, 1.0, 0.5])
theta = 0.7
Rz = np.array([[np.cos(theta), -np.sin(theta), 0], [np.sin(theta), np.cos(theta), 0], [0, 0, 1]])
target = base @ Rz.T + np.array([1.0, -2.0, 0.5]) + 0.05 * rng.standard_normal((20, 3))
edges = np.array([(i, (i + 1) % 20) for i in range(20)] + [(i, (i + 7) % 20) for i in range(20)])
rest_lengths = np.linalg.norm(base[edges[:, 0]] - base[edges[:, 1]], axis=1)

f = registration_loss
ARGS = (base + 0.1 * rng.standard_normal(base.shape), target, edges, rest_lengths)
