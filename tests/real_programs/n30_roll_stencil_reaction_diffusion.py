"""Reaction-diffusion (FitzHugh-Nagumo) on a periodic 2-D grid: Laplacian by np.roll, the two
fields stored as views of one (2, n, n) state array and updated in place (u += dt*(...)), with a
Neumann-like edge fix by slice copy (u[0] = u[1]); parameters fitted to a final pattern."""
import numpy as np


def lap(z):
    return np.roll(z, 1, 0) + np.roll(z, -1, 0) + np.roll(z, 1, 1) + np.roll(z, -1, 1) - 4 * z


def simulate(theta, state0, dt=0.05, steps=12):
    a, b, Du = theta
    state = state0.copy()
    u = state[0]
    v = state[1]
    for _ in range(steps):
        du = Du * lap(u) + u - u ** 3 / 3 - v
        dv = 0.1 * (u + a - b * v)
        u += dt * du
        v += dt * dv
        u[0] = u[1]
        u[-1] = u[-2]
    return state


def loss(theta, state0, target):
    s = simulate(theta, state0)
    return np.sum((s[0] - target) ** 2) + 0.1 * np.sum(s[1] ** 2)


rng = np.random.default_rng(30)
state0 = 0.3 * rng.standard_normal((2, 7, 7))
target = simulate(np.array([0.7, 0.8, 0.2]), state0)[0]
f = loss
ARGS = (np.array([0.6, 0.9, 0.25]), state0, target)
