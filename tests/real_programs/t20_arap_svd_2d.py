"""As-rigid-as-possible (ARAP) deformation energy of a 2-D mesh: for each vertex the best local
rotation comes from the SVD of the edge covariance (batched np.linalg.svd, reflection fixed by
flipping U's last column where det < 0), then the energy of deformed edges against rotated rest
edges, plus handle constraints."""
import numpy as np


def neighbors_of(n_side):
    nbrs = []
    for i in range(n_side):
        for j in range(n_side):
            v = i * n_side + j
            nb = []
            for di, dj in ((-1, 0), (1, 0), (0, -1), (0, 1)):
                if 0 <= i + di < n_side and 0 <= j + dj < n_side:
                    nb.append((i + di) * n_side + j + dj)
            nbrs.append(nb)
    return nbrs


def local_rotations(X, P, edges_i, edges_j, n):
    e_rest = P[edges_j] - P[edges_i]
    e_def = X[edges_j] - X[edges_i]
    S = np.zeros((n, 2, 2))
    np.add.at(S, edges_i, e_rest[:, :, None] * e_def[:, None, :])
    U, sig, Vt = np.linalg.svd(S)
    R = np.transpose(Vt, (0, 2, 1)) @ np.transpose(U, (0, 2, 1))
    flip = np.linalg.det(R) < 0
    U[flip, :, -1] *= -1
    R = np.transpose(Vt, (0, 2, 1)) @ np.transpose(U, (0, 2, 1))
    return R


def arap_energy(X, P, edges_i, edges_j, handles, handle_pos, w_handle=100.0):
    n = len(P)
    R = local_rotations(X, P, edges_i, edges_j, n)
    e_rest = P[edges_j] - P[edges_i]
    e_def = X[edges_j] - X[edges_i]
    rotated = np.einsum("eij,ej->ei", R[edges_i], e_rest)
    E = np.sum((e_def - rotated) ** 2)
    return E + w_handle * np.sum((X[handles] - handle_pos) ** 2)


n_side = 4
gx, gy = np.meshgrid(np.arange(n_side, dtype=float), np.arange(n_side, dtype=float))
P = np.column_stack([gx.ravel(), gy.ravel()])
nbrs = neighbors_of(n_side)
edges_i = np.array([i for i, nb in enumerate(nbrs) for _ in nb])
edges_j = np.array([j for nb in nbrs for j in nb])
handles = np.array([0, n_side * n_side - 1])
handle_pos = np.array([[0.0, 0.0], [3.5, 2.2]])
rng = np.random.default_rng(520)
th = 0.3
X = P @ np.array([[np.cos(th), np.sin(th)], [-np.sin(th), np.cos(th)]]) + 0.1 * rng.standard_normal(P.shape)
# a fold: the left half of the sheet mirrored, so several local fits are reflections (det < 0)
X[:, 0] = np.where(P[:, 0] < 1.5, 1.0 - X[:, 0], X[:, 0])

f = arap_energy
ARGS = (X, P, edges_i, edges_j, handles, handle_pos)
