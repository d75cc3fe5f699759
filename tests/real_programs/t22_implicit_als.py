"""Implicit-feedback matrix factorization (Hu, Koren & Volinsky): confidence 1 + alpha * r, binary
preferences; user factors come from one closed-form ALS half-step (a ridge solve per user with
np.linalg.solve in a loop, stacked) given item factors, and the item factors are the variables of
the weighted loss."""
import numpy as np


def solve_users(V, R, alpha, lam):
    k = V.shape[1]
    users = []
    for u in range(R.shape[0]):
        c = 1.0 + alpha * R[u]
        p = (R[u] > 0).astype(float)
        A = (V.T * c) @ V + lam * np.eye(k)
        b = V.T @ (c * p)
        users.append(np.linalg.solve(A, b))
    return np.stack(users)


def implicit_loss(V, R, alpha=5.0, lam=0.1):
    U = solve_users(V, R, alpha, lam)
    C = 1.0 + alpha * R
    P = (R > 0).astype(float)
    err = P - U @ V.T
    return np.sum(C * err ** 2) + lam * (np.sum(U ** 2) + np.sum(V ** 2))


rng = np.random.default_rng(522)
n_users, n_items, k = 12, 15, 3
R = rng.poisson(0.6, size=(n_users, n_items)).astype(float) * (rng.random((n_users, n_items)) < 0.5)
V = 0.3 * rng.standard_normal((n_items, k))

f = implicit_loss
ARGS = (V, R)
