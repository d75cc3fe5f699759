"""1-D wave equation, leapfrog with three time levels held in one (3, n) buffer whose rows are
rotated by index arithmetic; boundary values written through row views (u_next = buf[k]; u_next[0] = 0)."""
import numpy as np


def simulate(c, u0, steps=25, dx=0.05, dt=0.02):
    n = len(u0)
    buf = np.zeros((3, n))
    buf[0] = u0
    buf[1, 1:-1] = u0[1:-1] + 0.5 * (dt / dx) ** 2 * c[1:-1] ** 2 * (u0[2:] - 2 * u0[1:-1] + u0[:-2])
    rec = np.zeros(steps)
    for t in range(steps):
        prev, cur, nxt = t % 3, (t + 1) % 3, (t + 2) % 3
        u_next = buf[nxt]
        u_next[1:-1] = (2 * buf[cur, 1:-1] - buf[prev, 1:-1]
                        + (dt / dx) ** 2 * c[1:-1] ** 2 * (buf[cur, 2:] - 2 * buf[cur, 1:-1] + buf[cur, :-2]))
        u_next[0] = 0.0
        u_next[-1] = 0.0
        rec[t] = u_next[n // 3]
    return rec


def misfit(c, u0, data):
    return np.sum((simulate(c, u0) - data) ** 2) + 1e-2 * np.sum(np.diff(c) ** 2)


n = 20
x = np.linspace(0, 1, n)
u0 = np.exp(-((x - 0.5) / 0.1) ** 2)
data = simulate(np.ones(n) * 1.1, u0)
f = misfit
ARGS = (1.0 + 0.05 * np.sin(3 * x), u0, data)
