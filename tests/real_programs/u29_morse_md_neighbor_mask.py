"""Velocity-Verlet molecular dynamics of a Morse cluster in a periodic box: the pair list is built
once by a boolean cutoff mask on the minimum-image distance matrix (np.nonzero of mask & upper
triangle), forces scattered with np.add.at, positions wrapped with x %= box; the loss compares
the final kinetic and potential energies with targets, wrt the Morse parameters."""
import numpy as np


def min_image(d, box):
    return d - box * np.round(d / box)


def neighbor_pairs(x, box, rc):
    d = min_image(x[:, None, :] - x[None, :, :], box)
    r = np.sqrt((d ** 2).sum(-1))
    mask = (r < rc) & np.triu(np.ones(r.shape, dtype=bool), k=1)
    return np.nonzero(mask)


def morse_energy_forces(pot, x, box, pairs):
    i, j = pairs
    d = min_image(x[i] - x[j], box)
    r = np.sqrt((d ** 2).sum(axis=1))
    D, a, r0 = pot["D"], pot["a"], pot["r0"]
    e = np.exp(-a * (r - r0))
    energy = np.sum(D * (1 - e) ** 2 - D)
    dEdr = 2 * D * a * (1 - e) * e
    fij = -(dEdr / r)[:, None] * d
    F = np.zeros_like(x)
    np.add.at(F, i, fij)
    np.add.at(F, j, -fij)
    return energy, F


def md_loss(pot, x0, v0, box, target_ke, target_pe, n_steps=40, dt=0.005):
    pairs = neighbor_pairs(x0, box, rc=2.5)
    x, v = x0.copy(), v0.copy()
    pe, F = morse_energy_forces(pot, x, box, pairs)
    for step in range(n_steps):
        v += 0.5 * dt * F
        x += dt * v
        x %= box
        pe, F = morse_energy_forces(pot, x, box, pairs)
        v += 0.5 * dt * F
    ke = 0.5 * np.sum(v ** 2)
    return (ke - target_ke) ** 2 + (pe - target_pe) ** 2


rng = np.random.default_rng(629)
box = 5.0
g = np.arange(3) * 1.5 + 0.5
x0 = np.array([[a, b] for a in g for b in g]) + 0.05 * rng.standard_normal((9, 2))
v0 = 0.3 * rng.standard_normal((9, 2))
pot = {"D": 1.0, "a": 1.6, "r0": 1.45}

f = md_loss
ARGS = (pot, x0, v0, box, 1.5, -10.0)
