"""Mesh smoothing by triangle-quality optimisation: the interior vertices of a perturbed triangulated
square move to maximise the mean-ratio quality of every triangle, computed with batched 2x2 linear
algebra -- each triangle's Jacobian against the reference equilateral element (np.linalg.inv of the
reference, batched matmul with @), batched np.linalg.det and Frobenius norms by einsum -- plus a
barrier on inverted elements and a Laplacian-smoothness term accumulated with np.add.at.  Boundary
vertices are fixed: the free ones are scattered into the full coordinate array.  Differentiated
w.r.t. the free vertex coordinates."""
import numpy as np

REF = np.array([[1.0, 0.5], [0.0, np.sqrt(3) / 2]])     # reference equilateral edges as columns


def triangle_jacobians(P, tris):
    a, b, c = P[tris[:, 0]], P[tris[:, 1]], P[tris[:, 2]]
    E = np.stack([b - a, c - a], axis=-1)                  # (m, 2, 2) edges as columns
    return E @ np.linalg.inv(REF)


def mesh_energy(free_xy, fixed_xy, free_idx, fixed_idx, tris, edges):
    n = len(free_idx) + len(fixed_idx)
    P = np.zeros((n, 2))
    P[free_idx] = free_xy
    P[fixed_idx] = fixed_xy
    J = triangle_jacobians(P, tris)
    det = np.linalg.det(J)
    frob2 = np.einsum("mij,mij->m", J, J)
    quality = 2.0 * det / frob2                         # 1 for an equilateral triangle
    barrier = np.sum(np.log1p(np.exp(-50.0 * det)))
    Jinv = np.linalg.inv(J)
    cond = np.sqrt(np.einsum("mij,mij->m", J, J) * np.einsum("mij,mij->m", Jinv, Jinv))
    lap = np.zeros((n, 2))
    deg = np.zeros(n)
    np.add.at(lap, edges[:, 0], P[edges[:, 1]] - P[edges[:, 0]])
    np.add.at(lap, edges[:, 1], P[edges[:, 0]] - P[edges[:, 1]])
    np.add.at(deg, edges.ravel(), 1.0)
    smooth = np.sum((lap / deg[:, None]) ** 2)
    return -np.mean(quality) + 0.01 * np.mean(cond) + barrier + 0.1 * smooth


k = 5
xs, ys = np.meshgrid(np.linspace(0, 1, k), np.linspace(0, 1, k))
pts = np.column_stack([xs.ravel(), ys.ravel()])
idx = np.arange(k * k).reshape(k, k)
tris = []
for i in range(k - 1):
    for j in range(k - 1):
        a, b, c, d = idx[i, j], idx[i, j + 1], idx[i + 1, j], idx[i + 1, j + 1]
        tris += [(a, b, d), (a, d, c)]
tris = np.array(tris)
edges = np.unique(np.sort(np.concatenate([tris[:, [0, 1]], tris[:, [1, 2]], tris[:, [2, 0]]]), axis=1), axis=0)
boundary = (pts[:, 0] == 0) | (pts[:, 0] == 1) | (pts[:, 1] == 0) | (pts[:, 1] == 1)
free_idx, fixed_idx = np.flatnonzero(~boundary), np.flatnonzero(boundary)
rng = np.random.default_rng(32)
f = mesh_energy
ARGS = (pts[free_idx] + 0.05 * rng.standard_normal((len(free_idx), 2)), pts[fixed_idx], free_idx, fixed_idx, tris, edges)
