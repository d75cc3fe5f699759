"""Multivariate-normal fit with the precision's Cholesky factor packed in a flat vector (as for
scipy.optimize): L filled by np.tril_indices, its diagonal exponentiated in place through
np.diag_indices, predictive covariance by scipy.linalg.solve_triangular, a conditional Gaussian from
np.block partitions with np.linalg.inv and np.linalg.det."""
import numpy as np
from scipy.linalg import solve_triangular


def unpack(theta, d):
    L = np.zeros((d, d))
    L[np.tril_indices(d)] = theta
    di = np.diag_indices(d)
    L[di] = np.exp(L[di])
    return L


def mvn_objective(theta, X, d=4):
    L = unpack(theta, d)
    mu = X.mean(axis=0)
    Z = (X - mu) @ L                                  # precision = L L^T
    nll = -X.shape[0] * np.sum(np.log(np.diag(L))) + 0.5 * np.sum(Z ** 2)
    Linv = solve_triangular(L, np.eye(d), lower=True)
    Sigma = Linv.T @ Linv
    A, B = Sigma[:2, :2], Sigma[:2, 2:]
    C, Dm = Sigma[2:, :2], Sigma[2:, 2:]
    cond = A - B @ np.linalg.inv(Dm) @ C              # covariance of x[:2] given x[2:]
    rebuilt = np.block([[A, B], [C, Dm]])
    sym = np.sum((rebuilt - rebuilt.T) ** 2)
    return nll / X.shape[0] + 0.1 * np.log(np.linalg.det(cond)) + sym


rng = np.random.default_rng(125)
d = 4
M = rng.standard_normal((d, d))
X = rng.standard_normal((80, d)) @ M + np.array([1.0, -2.0, 0.5, 0.0])
P = np.linalg.inv(np.cov(X, rowvar=False))
L0 = np.linalg.cholesky(P)
L0[np.diag_indices(d)] = np.log(np.diag(L0))
theta = L0[np.tril_indices(d)] + 0.05 * rng.standard_normal(d * (d + 1) // 2)

f = mvn_objective
ARGS = (theta, X)
