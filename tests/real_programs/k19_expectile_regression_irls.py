"""Expectile regression (Newey-Powell asymmetric least squares) with a B-spline-free polynomial
basis: iteratively reweighted least squares where weights are tau or 1-tau by the residual sign
(np.where), each step solving the weighted normal equations (np.linalg.solve with a small ridge),
a fixed number of iterations; the fitted curves for several expectile levels are stored in a dict
keyed by tau and the loss is a crossing penalty plus the fitted 0.9-expectile's integral.
Differentiated w.r.t. the observations y."""
import numpy as np


def design(x, degree=3):
    return np.vander(x, degree + 1, increasing=True)


def expectile_fit(X, y, tau, iters=15, ridge=1e-6):
    w = np.full(len(y), 0.5)
    beta = np.zeros(X.shape[1])
    for _ in range(iters):
        XtW = X.T * w
        beta = np.linalg.solve(XtW @ X + ridge * np.eye(X.shape[1]), XtW @ y)
        r = y - X @ beta
        w = np.where(r > 0, tau, 1 - tau)
    return beta


def expectile_loss(y, x, taus=(0.1, 0.5, 0.9)):
    X = design(x)
    curves = {tau: X @ expectile_fit(X, y, tau) for tau in taus}
    crossing = sum(np.sum(np.maximum(curves[a] - curves[b] + 0.05, 0.0) ** 2)
                   for a, b in zip(taus[:-1], taus[1:]))
    return crossing + np.trapezoid(curves[0.9], x)


rng = np.random.default_rng(19)
x = np.sort(rng.uniform(-1, 1, 80))
y = 1 + x - x ** 2 + (0.2 + 0.3 * (x + 1)) * rng.standard_normal(80)
f = expectile_loss
ARGS = (y, x)
KINKED = "the residual signs that select the IRLS weights"
