"""Designing diffusion-MRI gradient directions: 12 unit vectors (antipodally symmetric, so each
direction and its negative count) spread over the sphere by maximising the smallest pairwise angles
through a soft-min of all off-diagonal angles (arccos of the clipped Gram matrix, the diagonal
masked out with ~np.eye) plus an electrostatic energy; the raw vectors are normalised inside.
Differentiated w.r.t. the raw direction array."""
import numpy as np


def spread_loss(V, temp=0.05, w_elec=0.01):
    U = V / np.linalg.norm(V, axis=1, keepdims=True)
    n = len(U)
    G = U @ U.T
    ang = np.arccos(np.clip(np.abs(G), -1.0, 1.0))          # antipodal symmetry: |cos|
    off = ~np.eye(n, dtype=bool)
    a = ang[off]
    soft_min = -temp * np.log(np.mean(np.exp(-a / temp)))
    dist_plus = np.linalg.norm(U[:, None, :] - U[None, :, :], axis=-1)[off]
    dist_minus = np.linalg.norm(U[:, None, :] + U[None, :, :], axis=-1)[off]
    elec = np.sum(1.0 / dist_plus + 1.0 / dist_minus)
    return -soft_min + w_elec * elec


rng = np.random.default_rng(37)
f = spread_loss
ARGS = (rng.standard_normal((12, 3)),)
