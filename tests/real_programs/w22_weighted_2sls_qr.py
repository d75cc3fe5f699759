"""Weighted two-stage least squares with survey weights and a heteroskedasticity-robust (HC1)
sandwich: the first stage by QR (np.linalg.qr, back-substitution with np.linalg.solve on R), the
second stage on fitted regressors, the sandwich with np.linalg.inv and np.diag; the t statistic of
the treatment effect is differentiated w.r.t. the survey weights (how much each respondent moves
the result: a local influence analysis)."""
import numpy as np


def wls_qr(X, y, w):
    sw = np.sqrt(w)[:, None]
    Q, R = np.linalg.qr(X * sw)
    return np.linalg.solve(R, Q.T @ (y * sw[:, 0]))


def two_stage(y, D, Z, C, w):
    """y outcome, D endogenous treatment, Z instruments, C exogenous controls (with intercept)."""
    first = np.column_stack([Z, C])
    gamma = wls_qr(first, D, w)
    D_hat = first @ gamma
    X_hat = np.column_stack([D_hat, C])
    X = np.column_stack([D, C])
    beta = wls_qr(X_hat, y, w)
    resid = y - X @ beta
    return beta, X_hat, resid


def robust_t(w, y, D, Z, C, coef=0):
    beta, X_hat, resid = two_stage(y, D, Z, C, w)
    n, k = X_hat.shape
    bread = np.linalg.inv(X_hat.T @ (w[:, None] * X_hat))
    meat = (X_hat * ((w * resid) ** 2)[:, None]).T @ X_hat
    V = n / (n - k) * bread @ meat @ bread
    se = np.sqrt(np.diag(V))
    return beta[coef] / se[coef]


rng = np.random.default_rng(2022)
n = 120
Z = rng.standard_normal((n, 2))
C = np.column_stack([np.ones(n), rng.standard_normal(n)])
u = rng.standard_normal(n)
D = Z @ np.array([0.8, -0.5]) + 0.3 * C[:, 1] + 0.6 * u + 0.5 * rng.standard_normal(n)
y = 0.4 * D + C @ np.array([1.0, -0.2]) + u * (1 + 0.3 * np.abs(C[:, 1]))
w = rng.uniform(0.5, 2.0, n)
f = robust_t
ARGS = (w, y, D, Z, C)
