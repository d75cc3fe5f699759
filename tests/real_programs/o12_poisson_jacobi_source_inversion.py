"""Source inversion for the 2-D Poisson equation -lap u = s on the unit square (u = 0 on the
boundary): the source is a sum of Gaussian blobs with unknown amplitudes, the field is found by
Jacobi iterations written with slice arithmetic on a copy, run until the update is below a
tolerance, and the misfit at a few probe points plus a Tikhonov term is differentiated w.r.t. the
amplitudes."""
import numpy as np

KINKED = "the number of Jacobi sweeps is piecewise constant in the amplitudes"


def source(amps, centres, X, Y, width=0.08):
    s = np.zeros_like(X)
    for a, (cx, cy) in zip(amps, centres):
        s += a * np.exp(-((X - cx) ** 2 + (Y - cy) ** 2) / (2 * width ** 2))
    return s


def solve_jacobi(s, h, tol=1e-7, max_iter=2000):
    u = np.zeros_like(s)
    it = 0
    delta = np.inf
    while delta > tol and it < max_iter:
        u_new = u.copy()
        u_new[1:-1, 1:-1] = 0.25 * (u[2:, 1:-1] + u[:-2, 1:-1] + u[1:-1, 2:] + u[1:-1, :-2] + h * h * s[1:-1, 1:-1])
        delta = np.max(np.abs(u_new - u))
        u = u_new
        it += 1
    return u


def misfit(amps, centres, probes, u_obs, n=14, reg=1e-4):
    g = np.linspace(0.0, 1.0, n)
    X, Y = np.meshgrid(g, g, indexing="ij")
    u = solve_jacobi(source(amps, centres, X, Y), g[1] - g[0])
    pred = u[probes[:, 0], probes[:, 1]]
    return np.sum((pred - u_obs) ** 2) / np.sum(u_obs ** 2) + reg * np.sum(amps ** 2)


centres = [(0.3, 0.3), (0.7, 0.4), (0.5, 0.75)]
probes = np.array([[3, 3], [3, 10], [7, 7], [10, 3], [10, 10], [5, 9], [9, 5]])
g = np.linspace(0.0, 1.0, 14)
X, Y = np.meshgrid(g, g, indexing="ij")
u_true = solve_jacobi(source(np.array([5.0, -3.0, 4.0]), centres, X, Y), g[1] - g[0])
u_obs = u_true[probes[:, 0], probes[:, 1]] * 1.02
f = misfit
ARGS = (np.array([4.0, -2.0, 3.0]), centres, probes, u_obs)
