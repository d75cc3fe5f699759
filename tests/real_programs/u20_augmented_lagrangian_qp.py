"""Equality-constrained QP solved by the augmented Lagrangian method (closed-form x-step with
np.linalg.solve, multiplier update, while loop on the constraint residual norm), differentiated
w.r.t. the linear cost to get the sensitivity of a downstream tracking loss."""
import numpy as np


def solve_qp_al(Q, c, A, b, rho=10.0, tol=1e-9, max_iter=100):
    lam = np.zeros(len(b))
    x = np.zeros(len(c))
    it = 0
    while it < max_iter:
        H = Q + rho * A.T @ A
        x = np.linalg.solve(H, -(c + A.T @ lam - rho * A.T @ b))
        resid = A @ x - b
        lam = lam + rho * resid
        it += 1
        if np.linalg.norm(resid) < tol:
            break
    return x, lam


def tracking_loss(c, Q, A, b, x_target):
    x, lam = solve_qp_al(Q, c, A, b)
    return np.sum((x - x_target) ** 2) + 0.01 * np.sum(lam ** 2)


rng = np.random.default_rng(620)
n, m = 6, 2
M = rng.standard_normal((n, n))
Q = M @ M.T + n * np.eye(n)
A = rng.standard_normal((m, n))
b = rng.standard_normal(m)
x_target = rng.standard_normal(n)
c = rng.standard_normal(n)

f = tracking_loss
ARGS = (c, Q, A, b, x_target)
