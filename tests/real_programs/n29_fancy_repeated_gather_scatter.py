"""Mesh smoothing on a triangle strip: vertex normals/valences by fancy-index reads with repeated
indices (V[F[:, 0]]...), per-vertex accumulation with np.add.at over faces, then a 'umbrella' update
written in place into interior vertices V[interior] += lam * (avg - V[interior]); energy wrt V."""
import numpy as np


def faces_of_strip(n):
    F = []
    for i in range(n - 1):
        F.append([2 * i, 2 * i + 1, 2 * i + 2])
        F.append([2 * i + 1, 2 * i + 3, 2 * i + 2])
    return np.array(F)


def energy(V, F, interior, lam=0.3, iters=3):
    V = V.copy()
    nv = len(V)
    for _ in range(iters):
        acc = np.zeros_like(V)
        cnt = np.zeros(nv)
        for a, b in ((0, 1), (1, 2), (2, 0)):
            np.add.at(acc, F[:, a], V[F[:, b]])
            np.add.at(acc, F[:, b], V[F[:, a]])
            np.add.at(cnt, F[:, a], 1.0)
            np.add.at(cnt, F[:, b], 1.0)
        avg = acc / cnt[:, None]
        V[interior] += lam * (avg[interior] - V[interior])
    e0 = V[F[:, 1]] - V[F[:, 0]]
    e1 = V[F[:, 2]] - V[F[:, 0]]
    area2 = e0[:, 0] * e1[:, 1] - e0[:, 1] * e1[:, 0]
    return np.sum(area2 ** 2) + np.sum((V[:, 2] - 0.1) ** 2)


n = 5
xs = np.repeat(np.arange(n, dtype=float), 2)
ys = np.tile([0.0, 1.0], n)
rng = np.random.default_rng(29)
V = np.column_stack([xs, ys, 0.2 * rng.standard_normal(2 * n)])
F = faces_of_strip(n)
interior = np.array([2, 3, 4, 5, 6, 7])
f = energy
ARGS = (V, F, interior)
