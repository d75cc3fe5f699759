"""Robust linear regression: residuals scaled by a MAD estimate of the noise, then the Tukey
biweight loss on large residuals and the Huber loss as a fallback, chosen by a flag."""
import numpy as np

def tukey(r, c=4.685):
    inside = np.abs(r) <= c
    rho_in = (c ** 2 / 6) * (1 - (1 - (r / c) ** 2) ** 3)
    return np.where(inside, rho_in, c ** 2 / 6)

def huber(r, k=1.345):
    return np.where(np.abs(r) <= k, 0.5 * r ** 2, k * np.abs(r) - 0.5 * k ** 2)

def robust_loss(beta, X, y, kind="tukey"):
    r = y - X @ beta
    scale = 1.4826 * np.median(np.abs(r - np.median(r)))
    scale = max(scale, 1e-6)
    z = r / scale
    if kind == "tukey":
        rho = tukey(z)
    elif kind == "huber":
        rho = huber(z)
    else:
        raise ValueError(f"unknown loss {kind!r}")
    return np.sum(rho) * scale ** 2 / len(y)

rng = np.random.default_rng(14)
N, D = 41, 3
X = np.column_stack([np.ones(N), rng.standard_normal((N, D - 1))])
y = X @ np.array([1.0, 2.0, -1.0]) + 0.5 * rng.standard_normal(N)
y[:5] += 15.0
f = robust_loss
ARGS = (np.array([0.8, 1.7, -0.7]), X, y)
EXTRA = ["hessian"]
