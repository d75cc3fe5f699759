"""Hanging spring net relaxed by damped explicit dynamics: edge forces from a (n_edges, 2) index
array, scattered with np.add.at, pinned nodes zeroed with a boolean mask, in-place x += dt*v
updates; loss = squared distance of the relaxed shape to a target sag profile, wrt stiffness and
rest lengths."""
import numpy as np


def spring_forces(x, edges, k, rest):
    i, j = edges[:, 0], edges[:, 1]
    d = x[j] - x[i]
    length = np.linalg.norm(d, axis=1)
    f = (k * (length - rest) / length)[:, None] * d
    F = np.zeros_like(x)
    np.add.at(F, i, f)
    np.add.at(F, j, -f)
    return F


def relax(params, x0, edges, pinned, gravity=9.81, mass=0.1, dt=0.01, damping=0.9, steps=150):
    k = np.exp(params["log_k"])
    rest = params["rest"]
    x = x0.copy()
    v = np.zeros_like(x)
    for _ in range(steps):
        F = spring_forces(x, edges, k, rest)
        F[:, 1] -= mass * gravity
        F[pinned] = 0.0
        v = damping * v + dt * F / mass
        x += dt * v
    return x


def shape_loss(params, x0, edges, pinned, target):
    x = relax(params, x0, edges, pinned)
    return np.sum((x - target) ** 2)


nx, ny = 5, 3
x0 = np.array([[i * 0.25, -j * 0.25] for j in range(ny) for i in range(nx)], dtype=float)
edges = []
for j in range(ny):
    for i in range(nx):
        n = j * nx + i
        if i + 1 < nx:
            edges.append((n, n + 1))
        if j + 1 < ny:
            edges.append((n, n + nx))
edges = np.array(edges)
pinned = np.zeros(len(x0), dtype=bool)
pinned[[0, nx - 1]] = True
rng = np.random.default_rng(626)
target = x0 + np.column_stack([np.zeros(len(x0)), -0.05 * (1 + np.arange(len(x0)) // nx)])
params = {"log_k": np.log(40.0) + 0.1 * rng.standard_normal(len(edges)), "rest": 0.25 * np.ones(len(edges))}

f = shape_loss
ARGS = (params, x0, edges, pinned, target)
