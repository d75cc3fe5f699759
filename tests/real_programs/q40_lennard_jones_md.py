"""Molecular dynamics of a small Lennard-Jones cluster in a periodic box: minimum-image convention
with np.round, pair list from np.triu_indices, forces by hand, velocity Verlet; the loss is the
energy drift plus a structural target (radius of gyration)."""
import numpy as np

def lj_energy_forces(x, box, eps=1.0, sigma=1.0):
    n = x.shape[0]
    i, j = np.triu_indices(n, k=1)
    d = x[i] - x[j]
    d = d - box * np.round(d / box)
    r2 = np.sum(d ** 2, axis=1)
    s6 = (sigma ** 2 / r2) ** 3
    energy = np.sum(4 * eps * (s6 ** 2 - s6))
    fmag = 24 * eps * (2 * s6 ** 2 - s6) / r2
    fij = fmag[:, None] * d
    F = np.zeros_like(x)
    for k in range(len(i)):
        F[i[k]] += fij[k]
        F[j[k]] -= fij[k]
    return energy, F

def md_loss(x0, v0, box=4.0, dt=0.002, n_steps=6, rg_target=1.0):
    x, v = x0, v0
    E0, F = lj_energy_forces(x, box)
    K0 = 0.5 * np.sum(v ** 2)
    for step in range(n_steps):
        v = v + 0.5 * dt * F
        x = x + dt * v
        E, F = lj_energy_forces(x, box)
        v = v + 0.5 * dt * F
    K = 0.5 * np.sum(v ** 2)
    drift = (E + K) - (E0 + K0)
    com = x.mean(axis=0)
    rg = np.sqrt(np.mean(np.sum((x - com) ** 2, axis=1)))
    return drift ** 2 * 1e4 + (rg - rg_target) ** 2

rng = np.random.default_rng(40)
g = np.array([[a, b, c] for a in range(2) for b in range(2) for c in range(2)], dtype=float) * 1.12 + 0.5
f = md_loss
KW = dict(wrt=("x0", "v0"))
ARGS = (g + 0.03 * rng.standard_normal(g.shape), 0.3 * rng.standard_normal(g.shape))
EXTRA = ["numba"]
