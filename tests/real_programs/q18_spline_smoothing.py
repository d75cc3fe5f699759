"""Penalised regression spline (P-spline): a basis of linear hat functions on equally spaced knots,
a second-order difference penalty on the coefficients, generalised cross-validation-like loss."""
import numpy as np

def hat_basis(x, knots):
    h = knots[1] - knots[0]
    return np.maximum(0.0, 1.0 - np.abs(x[:, None] - knots[None, :]) / h)

def pspline_objective(coef, log_lam, x, y, knots):
    B = hat_basis(x, knots)
    fit = B @ coef
    rss = np.sum((y - fit) ** 2)
    d2 = np.diff(coef, n=2)
    lam = np.exp(log_lam)
    penalty = lam * np.sum(d2 ** 2)
    # effective degrees of freedom of the linear smoother, for GCV
    D = np.diff(np.eye(len(coef)), n=2, axis=0)
    A = B.T @ B + lam * D.T @ D
    edf = np.trace(np.linalg.solve(A, B.T @ B))
    n = len(y)
    gcv = n * rss / (n - edf) ** 2
    return rss + penalty + gcv

rng = np.random.default_rng(18)
x = np.sort(rng.uniform(0, 1, 40))
y = np.sin(2 * np.pi * x) + 0.2 * rng.standard_normal(40)
knots = np.linspace(0, 1, 10)
f = pspline_objective
KW = dict(wrt=("coef", "log_lam"))
ARGS = (rng.standard_normal(10) * 0.5, np.log(0.3), x, y, knots)
