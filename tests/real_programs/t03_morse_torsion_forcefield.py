"""Molecular-mechanics energy of a small chain molecule: Morse bond stretching, harmonic angle
bending (arccos of the normalized dot product) and a cosine torsion term (dihedral from arctan2
of cross products), as in a hand-written force field."""
import numpy as np


def bond_energy(x, bonds, D, a, r0):
    d = x[bonds[:, 0]] - x[bonds[:, 1]]
    r = np.linalg.norm(d, axis=1)
    return np.sum(D * (1.0 - np.exp(-a * (r - r0))) ** 2)


def angle_energy(x, angles, k, theta0):
    u = x[angles[:, 0]] - x[angles[:, 1]]
    v = x[angles[:, 2]] - x[angles[:, 1]]
    cos = np.sum(u * v, axis=1) / (np.linalg.norm(u, axis=1) * np.linalg.norm(v, axis=1))
    theta = np.arccos(np.clip(cos, -1.0, 1.0))
    return 0.5 * np.sum(k * (theta - theta0) ** 2)


def dihedral_energy(x, dihedrals, kphi, mult, phi0):
    i, j, k, l = dihedrals.T
    b1 = x[j] - x[i]
    b2 = x[k] - x[j]
    b3 = x[l] - x[k]
    n1 = np.cross(b1, b2)
    n2 = np.cross(b2, b3)
    m1 = np.cross(n1, b2 / np.linalg.norm(b2, axis=1, keepdims=True))
    phi = np.arctan2(np.sum(m1 * n2, axis=1), np.sum(n1 * n2, axis=1))
    return np.sum(kphi * (1.0 + np.cos(mult * phi - phi0)))


def total_energy(x, topo, ff):
    e = bond_energy(x, topo["bonds"], ff["D"], ff["a"], ff["r0"])
    e += angle_energy(x, topo["angles"], ff["k_theta"], ff["theta0"])
    e += dihedral_energy(x, topo["dihedrals"], ff["k_phi"], 3, 0.0)
    return e


n = 6
topo = {
    "bonds": np.array([[i, i + 1] for i in range(n - 1)]),
    "angles": np.array([[i, i + 1, i + 2] for i in range(n - 2)]),
    "dihedrals": np.array([[i, i + 1, i + 2, i + 3] for i in range(n - 3)]),
}
ff = {"D": 4.0, "a": 1.8, "r0": 1.53, "k_theta": 60.0, "theta0": np.deg2rad(111.0), "k_phi": 1.4}
rng = np.random.default_rng(503)
x0 = np.array([[1.5 * i, 0.9 * (i % 2), 0.2 * i * (i % 3 == 0)] for i in range(n)], dtype=float)
x0 += 0.1 * rng.standard_normal(x0.shape)

f = total_energy
ARGS = (x0, topo, ff)
