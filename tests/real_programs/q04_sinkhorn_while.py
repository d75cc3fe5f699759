"""Entropic optimal transport between two point clouds: Sinkhorn iterations in a while loop until
the marginal error is under a tolerance; the loss is the transport cost <P, C>."""
import numpy as np

def pairwise_sq(x, y):
    return np.sum(x ** 2, 1)[:, None] + np.sum(y ** 2, 1)[None, :] - 2 * x @ y.T

def sinkhorn_cost(x, y, eps=0.5, tol=1e-9, max_iter=500):
    n, m = x.shape[0], y.shape[0]
    a = np.full(n, 1.0 / n)
    b = np.full(m, 1.0 / m)
    C = pairwise_sq(x, y)
    K = np.exp(-C / eps)
    u = np.ones(n)
    v = np.ones(m)
    err = 1.0
    it = 0
    while err > tol and it < max_iter:
        u = a / (K @ v)
        v = b / (K.T @ u)
        P = u[:, None] * K * v[None, :]
        err = np.max(np.abs(P.sum(axis=1) - a))
        it += 1
    P = u[:, None] * K * v[None, :]
    return np.sum(P * C)

rng = np.random.default_rng(4)
x = rng.standard_normal((7, 2))
y = rng.standard_normal((6, 2)) + 0.5
f = sinkhorn_cost
KW = dict(wrt=("x", "y"))
ARGS = (x, y)
