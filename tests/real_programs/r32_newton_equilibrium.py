"""Equilibrium of a nonlinear spring chain under load, found by Newton's method (Jacobian built
by hand, np.linalg.solve, convergence test with break, LinAlgError fallback to a damped step);
the loss fits the spring parameters to measured node displacements."""
import numpy as np


def residual_and_jacobian(u, k_lin, k_cub, load):
    ext = np.diff(np.concatenate([[0.0], u]))                   # spring elongations
    tension = k_lin * ext + k_cub * ext ** 3
    dtension = k_lin + 3 * k_cub * ext ** 2
    r = -tension + np.append(tension[1:], 0.0) + load
    n = len(u)
    J = np.zeros((n, n))
    for i in range(n):
        J[i, i] = -dtension[i] - (dtension[i + 1] if i + 1 < n else 0.0)
        if i > 0:
            J[i, i - 1] = dtension[i]
        if i + 1 < n:
            J[i, i + 1] = dtension[i + 1]
    return r, J


def solve_equilibrium(k_lin, k_cub, load, tol=1e-12, max_iter=50):
    u = np.cumsum(load[::-1])[::-1].cumsum() / k_lin.mean()     # linear-ish initial guess
    for it in range(max_iter):
        r, J = residual_and_jacobian(u, k_lin, k_cub, load)
        try:
            du = np.linalg.solve(J, -r)
        except np.linalg.LinAlgError:
            du = 0.1 * r
        u = u + du
        if np.linalg.norm(du) < tol * (1 + np.linalg.norm(u)):
            break
    return u


def fit_loss(params, load, u_measured):
    k_lin = np.exp(params["log_k"])
    u = solve_equilibrium(k_lin, params["k_cub"], load)
    return np.sum((u - u_measured) ** 2) * 100


rng = np.random.default_rng(132)
n = 6
load = rng.uniform(0.5, 1.5, n)
u_measured = solve_equilibrium(np.full(n, 4.0), np.full(n, 0.5), load) + 0.01 * rng.standard_normal(n)
f = fit_loss
ARGS = ({"log_k": np.log(np.full(n, 3.0)) + 0.1 * rng.standard_normal(n), "k_cub": np.full(n, 0.3)}, load, u_measured)
