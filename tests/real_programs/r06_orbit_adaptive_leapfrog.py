"""Shooting for an orbit: Kepler problem integrated with kick-drift-kick leapfrog and a step size
that adapts to the distance from the central mass (dt ~ r^1.5), stopping exactly at t_end; find
the initial velocity that reaches a target point with a target energy."""
import numpy as np

GM = 1.0
T_END = 3.0
MAX_STEPS = 20000


def accel(r):
    return -GM * r / np.linalg.norm(r) ** 3


def integrate(r0, v0, t_end, eta=0.02):
    r, v = r0.copy(), v0.copy()
    t = 0.0
    n = 0
    while t < t_end:
        dt = eta * np.linalg.norm(r) ** 1.5
        if t + dt > t_end:
            dt = t_end - t
        v_half = v + 0.5 * dt * accel(r)
        r = r + dt * v_half
        v = v_half + 0.5 * dt * accel(r)
        t += dt
        n += 1
        if n > MAX_STEPS:
            raise RuntimeError(f"integration did not finish after {n} steps")
    return r, v


def energy(r, v):
    return 0.5 * v @ v - GM / np.linalg.norm(r)


def shooting_loss(v0, r0, target, e_target):
    r, v = integrate(r0, v0, T_END)
    return np.sum((r - target) ** 2) + 0.1 * (energy(r, v) - e_target) ** 2


r0 = np.array([1.0, 0.0])
target = np.array([-0.9, 0.6])
f = shooting_loss
ARGS = (np.array([0.05, 1.15]), r0, target, -0.45)
