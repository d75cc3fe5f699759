"""2-D Lennard-Jones fluid in a periodic box: minimum-image displacements with np.round, a
truncated-and-shifted potential with a cutoff mask, velocity Verlet with positions wrapped by
np.mod; the loss matches the final kinetic temperature and potential energy to targets."""
import numpy as np


def lj(pos, box, eps, sigma, rc=2.5):
    d = pos[:, None, :] - pos[None, :, :]
    d -= box * np.round(d / box)
    r2 = np.sum(d ** 2, axis=-1)
    np.fill_diagonal(r2, np.inf)
    mask = r2 < rc ** 2
    sr6 = np.where(mask, (sigma ** 2 / r2) ** 3, 0.0)
    shift = 4 * eps * ((sigma / rc) ** 12 - (sigma / rc) ** 6)
    U = 0.5 * np.sum(np.where(mask, 4 * eps * (sr6 ** 2 - sr6) - shift, 0.0))
    fmag = np.where(mask, 24 * eps * (2 * sr6 ** 2 - sr6) / r2, 0.0)
    F = np.sum(fmag[..., None] * d, axis=1)
    return F, U


def simulate(vel, sigma, pos, box, eps=1.0, dt=0.004, steps=15):
    F, U = lj(pos, box, eps, sigma)
    for _ in range(steps):
        vel = vel + 0.5 * dt * F
        pos = np.mod(pos + dt * vel, box)
        F, U = lj(pos, box, eps, sigma)
        vel += 0.5 * dt * F
    ke = 0.5 * np.sum(vel ** 2)
    return ke, U


def loss(vel, sigma, pos, box, T_target=0.8, U_target=-1.5):
    ke, U = simulate(vel, sigma, pos, box)
    n = len(pos)
    T = ke / n
    return (T - T_target) ** 2 + 0.1 * (U / n - U_target) ** 2


rng = np.random.default_rng(504)
side = 4
box = 5.2
g = (np.arange(side) + 0.5) * box / side
pos = np.array([[x, y] for x in g for y in g]) + 0.05 * rng.standard_normal((side * side, 2))
vel = 0.7 * rng.standard_normal((side * side, 2))
vel -= vel.mean(axis=0)

f = loss
KW = {"wrt": ("vel", "sigma")}
ARGS = (vel, 1.0, pos, box)
