"""Econometrics: linear instrumental-variables regression by two-step efficient GMM.  Step one is
2SLS (identity-weighted moments with W = (Z'Z/n)^-1); the heteroskedasticity-robust optimal weight
matrix is built from step-one residuals with einsum; step two re-solves the normal equations.
The objective returned is Hansen's J statistic plus a ridge-like penalty; it is differentiated
w.r.t. the outcome vector y and the endogenous regressor column (a leverage / influence analysis)."""
import numpy as np


def gmm_estimate(y, X, Z, W):
    ZX = Z.T @ X
    Zy = Z.T @ y
    A = ZX.T @ W @ ZX
    return np.linalg.solve(A, ZX.T @ W @ Zy)


def j_statistic(y, x_endog, exog, Z):
    n = len(y)
    X = np.column_stack([np.ones(n), x_endog, exog])
    W1 = np.linalg.inv(Z.T @ Z / n)
    b1 = gmm_estimate(y, X, Z, W1)
    u = y - X @ b1
    S = np.einsum("i,ij,ik->jk", u ** 2, Z, Z) / n        # sum u_i^2 z_i z_i' / n
    W2 = np.linalg.inv(S)
    b2 = gmm_estimate(y, X, Z, W2)
    g = Z.T @ (y - X @ b2) / n
    J = n * g @ W2 @ g
    return J + 1e-3 * np.sum(b2[1:] ** 2)


rng = np.random.default_rng(11)
n = 200
z = rng.standard_normal((n, 3))
exog = rng.standard_normal(n)
v = rng.standard_normal(n)
x_endog = z @ np.array([0.8, -0.5, 0.3]) + 0.5 * exog + v
eps = 0.6 * v + rng.standard_normal(n) * (1 + 0.5 * np.abs(z[:, 0]))
y = 1.0 + 2.0 * x_endog - 1.0 * exog + eps
Z = np.column_stack([np.ones(n), z, exog])
f = j_statistic
KW = dict(wrt=("y", "x_endog"))
ARGS = (y, x_endog, exog, Z)
