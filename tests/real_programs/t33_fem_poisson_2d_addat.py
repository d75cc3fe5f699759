"""2-D finite elements for -div(k grad u) = 1 on a triangulated square: per-element stiffness from
linear shape-function gradients, global assembly with np.add.at on (row, col) index arrays,
Dirichlet boundary removed with np.ix_, np.linalg.solve, and the element log-conductivities fitted
to sensor readings."""
import numpy as np


def mesh(n):
    xs = np.linspace(0, 1, n)
    P = np.array([[x, y] for y in xs for x in xs])
    T = []
    for i in range(n - 1):
        for j in range(n - 1):
            v = i * n + j
            T += [[v, v + 1, v + n + 1], [v, v + n + 1, v + n]]
    return P, np.array(T)


def solve_fem(log_k, P, T, boundary):
    k = np.exp(log_k)
    nv = len(P)
    K = np.zeros((nv, nv))
    F = np.zeros(nv)
    for e, tri in enumerate(T):
        xy = P[tri]
        B = np.array([[1.0, 1.0, 1.0], xy[:, 0], xy[:, 1]])
        area = 0.5 * abs(np.linalg.det(B))
        G = np.linalg.inv(B)[:, 1:]
        Ke = k[e] * area * G @ G.T
        rows = np.repeat(tri, 3)
        cols = np.tile(tri, 3)
        np.add.at(K, (rows, cols), Ke.ravel())
        np.add.at(F, tri, area / 3.0)
    free = np.setdiff1d(np.arange(nv), boundary)
    u = np.zeros(nv)
    u[free] = np.linalg.solve(K[np.ix_(free, free)], F[free])
    return u


def misfit(log_k, P, T, boundary, sensors, readings, reg=1e-3):
    u = solve_fem(log_k, P, T, boundary)
    return np.sum((u[sensors] - readings) ** 2) * 1e4 + reg * np.sum(log_k ** 2)


n = 5
P, T = mesh(n)
boundary = np.array([i for i, (x, y) in enumerate(P) if x in (0.0, 1.0) or y in (0.0, 1.0)])
sensors = np.array([6, 8, 12, 16, 18])
rng = np.random.default_rng(533)
true_lk = 0.3 * np.sin(np.arange(len(T)))
readings = solve_fem(true_lk, P, T, boundary)[sensors]

f = misfit
ARGS = (0.1 * rng.standard_normal(len(T)), P, T, boundary, sensors, readings)
