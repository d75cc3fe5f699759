"""Static equilibrium energy of a 2-D neo-Hookean sheet: triangle edge matrices stacked with
np.stack(axis=-1) for all elements at once, batched np.linalg.inv and np.linalg.det on (T, 2, 2)
arrays, F = Ds Dm^-1 with batched @, the energy density mu/2 (I1 - 2) - mu log J + lam/2 log^2 J;
free vertex positions scattered into the full array by index assignment, gravity on lumped masses."""
import numpy as np

MU, LAM = 1.0, 4.0


def edge_matrices(x, tris):
    a, b, c = x[tris[:, 0]], x[tris[:, 1]], x[tris[:, 2]]
    return np.stack([b - a, c - a], axis=-1)


def total_energy(x_free, rest, tris, free_idx, fixed_idx, masses, g=0.05):
    x = np.zeros_like(rest)
    x[free_idx] = x_free.reshape(-1, 2)
    x[fixed_idx] = rest[fixed_idx]
    Dm = edge_matrices(rest, tris)
    Ds = edge_matrices(x, tris)
    F = Ds @ np.linalg.inv(Dm)
    J = np.linalg.det(F)
    I1 = np.sum(F ** 2, axis=(1, 2))
    area = 0.5 * np.abs(np.linalg.det(Dm))
    W = MU / 2 * (I1 - 2) - MU * np.log(J) + LAM / 2 * np.log(J) ** 2
    return np.sum(area * W) + g * np.sum(masses * x[:, 1])


nx, ny = 4, 3
gx, gy = np.meshgrid(np.arange(nx, dtype=float), np.arange(ny, dtype=float))
rest = np.stack([gx.ravel(), gy.ravel()], axis=1)
tris = []
for j in range(ny - 1):
    for i in range(nx - 1):
        v = j * nx + i
        tris += [[v, v + 1, v + nx + 1], [v, v + nx + 1, v + nx]]
tris = np.array(tris)
fixed_idx = np.arange((ny - 1) * nx, ny * nx)
free_idx = np.arange(0, (ny - 1) * nx)
masses = np.full(len(rest), 0.5)
rng = np.random.default_rng(732)
x_free = (rest[free_idx] + 0.05 * rng.standard_normal((len(free_idx), 2))).ravel()
f = total_energy
ARGS = (x_free, rest, tris, free_idx, fixed_idx, masses)
