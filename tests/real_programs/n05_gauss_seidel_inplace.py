"""Gauss-Seidel sweeps for a 2-D Poisson problem, updating the interior of u in place point by
point (u[i, j] = ...), with a red-black variant by slices; the source strength fitted to probes."""
import numpy as np


def solve(src, n=8, sweeps=15):
    h = 1.0 / (n + 1)
    u = np.zeros((n + 2, n + 2))
    rhs = np.zeros((n + 2, n + 2))
    rhs[1:-1, 1:-1] = src.reshape(n, n)
    for _ in range(sweeps):
        for i in range(1, n + 1):
            for j in range(1, n + 1):
                u[i, j] = 0.25 * (u[i - 1, j] + u[i + 1, j] + u[i, j - 1] + u[i, j + 1] + h * h * rhs[i, j])
    return u


def red_black(u, rhs, h, sweeps=5):
    for _ in range(sweeps):
        for color in (0, 1):
            for i in range(1, u.shape[0] - 1):
                j0 = 1 + (i + color) % 2
                u[i, j0:-1:2] = 0.25 * (u[i - 1, j0:-1:2] + u[i + 1, j0:-1:2] + u[i, j0 - 1:-2:2]
                                        + u[i, j0 + 1::2] + h * h * rhs[i, j0:-1:2])
    return u


def loss(src, probes):
    n = 8
    u = solve(src, n)
    rhs = np.zeros((n + 2, n + 2))
    rhs[1:-1, 1:-1] = src.reshape(n, n)
    u = red_black(u, rhs, 1.0 / (n + 1))
    return np.sum((u[2:-2:2, 2:-2:2].ravel() - probes) ** 2) * 1e4 + 1e-3 * np.sum(src ** 2)


rng = np.random.default_rng(5)
f = loss
ARGS = (1.0 + 0.3 * rng.standard_normal(64), 0.01 * np.ones(9))
