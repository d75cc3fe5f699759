"""Robust linear regression with Tukey's biweight M-estimator: ordinary least squares start via
np.linalg.lstsq, robust scale from the median absolute deviation (np.median of |r - median(r)|
times 1.4826), biweight weights (1 - (r/c s)^2)^2 inside |r| < c s and 0 outside, IRLS steps until
the coefficient change is below a tolerance (while loop with a cap).  The loss is the squared
distance of the robust coefficients from reference values, differentiated w.r.t. the response y
(influence-function style sensitivity)."""
import numpy as np


def mad_scale(r):
    return 1.4826 * np.median(np.abs(r - np.median(r)))


def biweight_weights(u, c=4.685):
    inside = np.abs(u) < c
    return np.where(inside, (1 - (u / c) ** 2) ** 2, 0.0)


def tukey_fit(X, y, tol=1e-10, max_iter=100):
    beta = np.linalg.lstsq(X, y, rcond=None)[0]
    it, change = 0, np.inf
    while change > tol and it < max_iter:
        r = y - X @ beta
        s = mad_scale(r)
        w = biweight_weights(r / s)
        Xw = X * w[:, None]
        new = np.linalg.solve(X.T @ Xw, Xw.T @ y)
        change = np.max(np.abs(new - beta))
        beta = new
        it += 1
    return beta


def influence_loss(y, X, beta_ref):
    beta = tukey_fit(X, y)
    return float(np.sum((beta - beta_ref) ** 2))


rng = np.random.default_rng(20)
n = 60
X = np.column_stack([np.ones(n), rng.uniform(0, 10, n), rng.standard_normal(n)])
y = X @ np.array([1.0, 0.5, -2.0]) + 0.4 * rng.standard_normal(n)
y[[3, 17, 41]] += np.array([8.0, -6.0, 10.0])
f = influence_loss
ARGS = (y, X, np.array([1.0, 0.5, -2.0]))
KINKED = "which points fall outside the biweight cutoff and the median's order statistics"
