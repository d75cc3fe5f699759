"""Gray-Scott reaction-diffusion on a periodic grid (5-point Laplacian with np.roll), explicit Euler
with simultaneous tuple assignment; the feed and kill rates (unpacked from one array) are recovered
from a target V pattern, and the initial perturbation of V is differentiated too."""
import numpy as np


def laplacian(Z):
    return (np.roll(Z, 1, axis=0) + np.roll(Z, -1, axis=0)
            + np.roll(Z, 1, axis=1) + np.roll(Z, -1, axis=1) - 4 * Z)


def simulate(F, k, U, V, Du=0.16, Dv=0.08, dt=1.0, steps=40):
    for _ in range(steps):
        uvv = U * V * V
        U, V = (U + dt * (Du * laplacian(U) - uvv + F * (1 - U)),
                V + dt * (Dv * laplacian(V) + uvv - (F + k) * V))
    return U, V


def pattern_loss(theta, V0, U0, target):
    F, k = theta
    _, V = simulate(F, k, U0, V0)
    return np.mean((V - target) ** 2)


rng = np.random.default_rng(708)
n = 16
U0 = np.ones((n, n))
V0 = np.zeros((n, n))
U0[6:10, 6:10] = 0.5
V0[6:10, 6:10] = 0.25
V0 = V0 + 0.02 * rng.random((n, n))
_, target = simulate(0.040, 0.062, U0, V0)
f = pattern_loss
KW = dict(wrt=("theta", "V0"))
ARGS = (np.array([0.035, 0.058]), V0, U0, target)
