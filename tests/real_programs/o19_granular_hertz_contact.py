"""A handful of discs dropped into a box, with Hertzian penalty contacts (force ~ k * overlap^1.5
with a velocity-proportional damping while in contact) against the floor, the two walls and each
other (pairs from np.triu_indices), gravity, and semi-implicit Euler steps.  Contact forces are
accumulated with masked in-place writes (F[mask, 1] += ...) and np.add.at for the pair forces.
The loss -- final pile height and spread -- is differentiated w.r.t. the stiffness and damping."""
import numpy as np


def contact_forces(x, v, radius, k, c, width):
    n = len(x)
    F = np.zeros_like(x)
    F[:, 1] -= 9.81
    pen_floor = radius - x[:, 1]
    floor = pen_floor > 0
    F[floor, 1] += k * pen_floor[floor] ** 1.5 - c * v[floor, 1] * np.sqrt(pen_floor[floor])
    pen_left = radius - x[:, 0]
    left = pen_left > 0
    F[left, 0] += k * pen_left[left] ** 1.5
    pen_right = x[:, 0] + radius - width
    right = pen_right > 0
    F[right, 0] -= k * pen_right[right] ** 1.5
    i, j = np.triu_indices(n, 1)
    d = x[i] - x[j]
    dist = np.sqrt(np.sum(d ** 2, axis=1))
    overlap = np.maximum(2 * radius - dist, 0.0)
    normal = d / dist[:, None]
    vn = np.sum((v[i] - v[j]) * normal, axis=1)
    fmag = k * overlap ** 1.5 - c * vn * np.sqrt(overlap)
    fpair = fmag[:, None] * normal
    np.add.at(F, i, fpair)
    np.add.at(F, j, -fpair)
    return F


def drop(k, c, x0, radius=0.1, width=0.5, dt=2e-3, n_steps=250):
    x = x0.copy()
    v = np.zeros_like(x0)
    for _ in range(n_steps):
        F = contact_forces(x, v, radius, k, c, width)
        v = v + dt * F
        x = x + dt * v
    return x, v


def pile_loss(k, c, x0):
    x, v = drop(k, c, x0)
    height = np.mean(x[:, 1])
    spread = np.var(x[:, 0])
    return height + 2.0 * spread + 0.01 * np.sum(v ** 2)


rng = np.random.default_rng(19)
x0 = np.stack([np.array([0.12, 0.25, 0.38, 0.18, 0.32, 0.25]) + 0.01 * rng.standard_normal(6),
               np.array([0.12, 0.13, 0.12, 0.35, 0.36, 0.6]) + 0.01 * rng.standard_normal(6)], axis=1)
f = pile_loss
ARGS = (2000.0, 8.0, x0)
KW = {"wrt": ("k", "c")}
