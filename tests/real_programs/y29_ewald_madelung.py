"""Ewald summation for the electrostatic energy of a small ionic crystal cell (rock-salt motif
with a strain): the real-space sum over neighbouring image cells (itertools.product over shifts,
skipping the self term) uses math.erfc, the reciprocal-space sum runs over k-vectors from the
inverse lattice with a structure factor built with complex exponentials, plus the self-energy
correction.  The cell is a 3x3 matrix of lattice vectors; differentiated w.r.t. the cell (the
stress-like derivative) and the fractional positions."""
import itertools
import math

import numpy as np

CHARGES = np.array([1.0, -1.0, 1.0, -1.0, 1.0, -1.0, 1.0, -1.0])
N_REAL = 1
N_RECIP = 2


def ewald_energy(cell, frac, alpha=1.2):
    pos = frac @ cell
    n = len(CHARGES)
    e_real = 0.0
    for shift in itertools.product(range(-N_REAL, N_REAL + 1), repeat=3):
        offset = np.array(shift, dtype=float) @ cell
        for i in range(n):
            for j in range(n):
                if shift == (0, 0, 0) and i == j:
                    continue
                r = np.linalg.norm(pos[j] + offset - pos[i])
                e_real += 0.5 * CHARGES[i] * CHARGES[j] * math.erfc(alpha * r) / r
    volume = abs(np.linalg.det(cell))
    recip = 2.0 * math.pi * np.linalg.inv(cell).T
    e_recip = 0.0
    for h, k, l in itertools.product(range(-N_RECIP, N_RECIP + 1), repeat=3):
        if h == k == l == 0:
            continue
        kv = h * recip[0] + k * recip[1] + l * recip[2]
        k2 = kv @ kv
        s = np.sum(CHARGES * np.exp(1j * (pos @ kv)))
        e_recip += 2.0 * math.pi / volume * math.exp(-k2 / (4 * alpha ** 2)) / k2 * abs(s) ** 2
    e_self = -alpha / math.sqrt(math.pi) * np.sum(CHARGES ** 2)
    return e_real + e_recip + e_self


base = np.array([[0.0, 0.0, 0.0], [0.5, 0.0, 0.0], [0.5, 0.5, 0.0], [0.0, 0.5, 0.0],
                 [0.0, 0.5, 0.5], [0.5, 0.5, 0.5], [0.5, 0.0, 0.5], [0.0, 0.0, 0.5]])
rng = np.random.default_rng(29)
cell = 4.0 * np.eye(3) + 0.1 * rng.standard_normal((3, 3))
f = ewald_energy
KW = dict(wrt=("cell", "frac"))
ARGS = (cell, base + 0.02 * rng.standard_normal(base.shape))
