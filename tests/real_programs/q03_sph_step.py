"""Smoothed-particle hydrodynamics: density with the poly6 kernel, pressure force with the spiky
kernel gradient, a few symplectic Euler steps; the loss is the final kinetic energy plus the
distance of the centre of mass to a target."""
import numpy as np

H = 0.5
MASS = 1.0

def poly6(r2, h=H):
    coef = 315.0 / (64.0 * np.pi * h ** 9)
    return np.where(r2 < h * h, coef * (h * h - r2) ** 3, 0.0)

def spiky_grad(dx, r, h=H):
    coef = -45.0 / (np.pi * h ** 6)
    mag = np.where(r < h, coef * (h - r) ** 2, 0.0) / (r + 1e-9)
    return mag[..., None] * dx

def sph_step(pos, vel, dt, k_gas=2.0, rho0=1.0, g=np.array([0.0, -9.8])):
    dx = pos[:, None, :] - pos[None, :, :]
    r2 = np.sum(dx ** 2, axis=-1)
    rho = MASS * np.sum(poly6(r2), axis=1)
    p = k_gas * (rho - rho0)
    r = np.sqrt(r2 + 1e-12)
    gradW = spiky_grad(dx, r)
    pterm = (p[:, None] + p[None, :]) / (2 * rho[None, :])
    f_press = -MASS * np.sum(pterm[..., None] * gradW, axis=1)
    acc = f_press / rho[:, None] + g
    vel = vel + dt * acc
    pos = pos + dt * vel
    return pos, vel

def loss(pos0, vel0, target, n_steps=4, dt=0.01):
    pos, vel = pos0, vel0
    for _ in range(n_steps):
        pos, vel = sph_step(pos, vel, dt)
    ke = 0.5 * MASS * np.sum(vel ** 2)
    com = pos.mean(axis=0)
    return ke + np.sum((com - target) ** 2)

rng = np.random.default_rng(3)
n = 10
pos0 = rng.uniform(0, 1, size=(n, 2))
vel0 = 0.1 * rng.standard_normal((n, 2))
f = loss
KW = dict(wrt=("pos0", "vel0"))
ARGS = (pos0, vel0, np.array([0.5, 0.3]))
EXTRA = ["numba"]
