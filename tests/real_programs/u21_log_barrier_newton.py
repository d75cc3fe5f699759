"""Interior-point (log-barrier) solver for a small LP with box-like inequality constraints: Newton
steps with a backtracking line search written as while loops (feasibility and Armijo tests),
barrier parameter increased geometrically; returns the (approximate) optimal cost, whose
gradient w.r.t. c is the optimal x."""
import numpy as np


def barrier_obj(x, c, A, b, t):
    s = b - A @ x
    if np.any(s <= 0):
        return np.inf
    return t * (c @ x) - np.sum(np.log(s))


def lp_barrier(c, A, b, x0, t0=1.0, mu=10.0, t_max=1e6, newton_iters=30):
    x, t = x0.copy(), t0
    while t < t_max:
        for _ in range(newton_iters):
            s = b - A @ x
            g = t * c + A.T @ (1.0 / s)
            Hm = A.T @ (A / s[:, None] ** 2)
            dx = -np.linalg.solve(Hm, g)
            decrement = -g @ dx
            if decrement / 2 < 1e-10:
                break
            step = 1.0
            f0 = barrier_obj(x, c, A, b, t)
            while barrier_obj(x + step * dx, c, A, b, t) > f0 + 0.25 * step * (g @ dx):
                step *= 0.5
            x = x + step * dx
        t *= mu
    return c @ x


rng = np.random.default_rng(621)
n = 3
A = np.vstack([np.eye(n), -np.eye(n), rng.standard_normal((4, n))])
b = np.concatenate([np.ones(n), np.ones(n), 2.0 + rng.random(4)])
x0 = np.zeros(n)
c = np.array([0.7, -0.4, 0.25])

f = lp_barrier
ARGS = (c, A, b, x0)
