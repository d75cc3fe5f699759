"""Particle-in-cell: cloud-in-cell charge deposit onto a periodic 1-D grid with np.add.at (repeated
cell indices), spectral-free Poisson solve by cumulative sums, field gathered back to particles,
and a leapfrog push; loss is the field energy after a few steps, differentiated wrt positions."""
import numpy as np


def deposit(xp, q, ng, L):
    dx = L / ng
    s = xp / dx
    j = np.floor(s).astype(int)
    w = s - j
    rho = np.zeros(ng)
    np.add.at(rho, j % ng, q * (1 - w))
    np.add.at(rho, (j + 1) % ng, q * w)
    return rho / dx, j, w


def field(rho, dx):
    rho = rho - rho.mean()
    E = np.cumsum(rho) * dx
    E -= E.mean()
    return E


def energy(xp, vp, q=0.1, ng=16, L=1.0, steps=4, dt=0.05):
    dx = L / ng
    for _ in range(steps):
        rho, j, w = deposit(xp, q, ng, L)
        E = field(rho, dx)
        Ep = E[j % ng] * (1 - w) + E[(j + 1) % ng] * w
        vp = vp - dt * q * Ep
        xp = (xp + dt * vp) % L
    rho, _, _ = deposit(xp, q, ng, L)
    E = field(rho, dx)
    return 0.5 * np.sum(E ** 2) * dx + 0.5 * np.sum(vp ** 2)


rng = np.random.default_rng(2)
xp = np.sort(rng.uniform(0.05, 0.95, 24))
vp = 0.1 * rng.standard_normal(24)
f = energy
ARGS = (xp, vp)
