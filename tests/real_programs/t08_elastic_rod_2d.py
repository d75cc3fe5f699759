"""Planar discrete elastic rod clamped at one end: stretching energy from edge lengths, bending
energy from turning angles (arctan2 of cross and dot of consecutive edges) over Voronoi lengths,
gravity and a tip load.  The free nodes are the variables."""
import numpy as np


def rod_energy(free, clamp, rest_len, ks=100.0, kb=2.0, kappa0=0.05, mass=0.1, g=9.81,
               tip_force=np.array([0.0, -0.5])):
    nodes = np.vstack([clamp, free])
    e = np.diff(nodes, axis=0)
    l = np.linalg.norm(e, axis=1)
    stretch = 0.5 * ks * np.sum((l / rest_len - 1.0) ** 2 * rest_len)
    cross = e[:-1, 0] * e[1:, 1] - e[:-1, 1] * e[1:, 0]
    dot = np.sum(e[:-1] * e[1:], axis=1)
    turn = np.arctan2(cross, dot)
    vor = 0.5 * (l[:-1] + l[1:])
    bend = 0.5 * kb * np.sum((turn - kappa0) ** 2 / vor)
    grav = mass * g * np.sum(nodes[2:, 1])
    load = -nodes[-1] @ tip_force
    return stretch + bend + grav + load


rng = np.random.default_rng(508)
n = 12
rest = 0.1
clamp = np.array([[0.0, 0.0], [rest, 0.0]])
free = np.array([[rest * (i + 2), -0.01 * (i + 1) ** 1.5] for i in range(n)])
free += 0.003 * rng.standard_normal(free.shape)

f = rod_energy
ARGS = (free, clamp, rest)
