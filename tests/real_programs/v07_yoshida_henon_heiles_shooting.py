"""Shooting in the Henon-Heiles potential with Yoshida's 4th-order symplectic integrator: the
drift/kick coefficients are module-level tuples zipped in the step, the force is a lambda, and the
initial momentum is fitted so that the orbit reaches a target point after N steps while staying on
a prescribed energy shell."""
import numpy as np

CBRT2 = 2.0 ** (1.0 / 3.0)
W1 = 1.0 / (2.0 - CBRT2)
W0 = -CBRT2 / (2.0 - CBRT2)
C = (W1 / 2, (W0 + W1) / 2, (W0 + W1) / 2, W1 / 2)
D = (W1, W0, W1, 0.0)

force = lambda q: -np.array([q[0] + 2 * q[0] * q[1], q[1] + q[0] ** 2 - q[1] ** 2])


def hamiltonian(q, p):
    x, y = q
    return 0.5 * p @ p + 0.5 * (x ** 2 + y ** 2) + x ** 2 * y - y ** 3 / 3


def yoshida_step(q, p, h):
    for c, d in zip(C, D):
        q = q + c * h * p
        if d != 0.0:
            p = p + d * h * force(q)
    return q, p


def shooting_loss(p0, q0, target, energy, h=0.05, n_steps=60):
    q, p = q0, p0
    for _ in range(n_steps):
        q, p = yoshida_step(q, p, h)
    miss = np.sum((q - target) ** 2)
    shell = (hamiltonian(q0, p0) - energy) ** 2
    return miss + 10.0 * shell


q0 = np.array([0.1, -0.05])
f = shooting_loss
ARGS = (np.array([0.35, 0.2]), q0, np.array([-0.2, 0.25]), 1.0 / 12.0)
