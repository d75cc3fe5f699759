"""Simulation settings in module-level constants: a CONFIG dict of floats and ints, a tuple of
stage coefficients, a global lambda for the forcing; a damped spring chain integrated with a
low-storage RK scheme whose stages come from the global tuples; loss on the final kinetic energy."""
import numpy as np

CONFIG = {"dt": 0.05, "steps": 20, "damping": 0.1, "k": 4.0}
RK_A = (0.0, -0.41789047, -1.19215169)
RK_B = (0.43, 0.80, 0.35)
FORCE = lambda t, n: 0.2 * np.sin(3.0 * t) * np.linspace(1.0, 0.0, n)


def accel(x, v, masses, t):
    lap = np.zeros_like(x)
    lap[1:-1] = x[2:] - 2 * x[1:-1] + x[:-2]
    lap[0] = x[1] - x[0]
    lap[-1] = x[-2] - x[-1]
    return (CONFIG["k"] * lap - CONFIG["damping"] * v + FORCE(t, len(x))) / masses


def simulate(masses, x0, v0):
    x, v = x0.copy(), v0.copy()
    dx, dv = np.zeros_like(x), np.zeros_like(v)
    dt = CONFIG["dt"]
    for n in range(CONFIG["steps"]):
        t = n * dt
        for a, b in zip(RK_A, RK_B):
            dx = a * dx + dt * v
            dv = a * dv + dt * accel(x, v, masses, t)
            x = x + b * dx
            v = v + b * dv
    return x, v


def loss(masses, x0, v0):
    x, v = simulate(masses, x0, v0)
    return 0.5 * np.sum(masses * v ** 2) + 0.5 * CONFIG["k"] * np.sum(np.diff(x) ** 2)


masses = np.linspace(1.0, 2.0, 6)
x0 = 0.1 * np.sin(np.arange(6.0))
v0 = np.zeros(6)

f = loss
ARGS = (masses, x0, v0)
