"""Simplex-constrained least squares (mixing proportions of endmember spectra) by projected
gradient descent with the sort-based Euclidean projection onto the simplex (np.sort, np.cumsum,
np.nonzero), unrolled for a fixed number of steps; differentiated w.r.t. the observed spectrum."""
import numpy as np


def project_simplex(v):
    u = np.sort(v)[::-1]
    css = np.cumsum(u)
    ks = np.arange(1, len(v) + 1)
    rho = np.nonzero(u * ks > css - 1.0)[0][-1]
    theta = (css[rho] - 1.0) / (rho + 1.0)
    return np.maximum(v - theta, 0.0)


def unmix_loss(y, E, w_ref, steps=60):
    L = np.linalg.norm(E, 2) ** 2
    w = np.full(E.shape[1], 1.0 / E.shape[1])
    for _ in range(steps):
        grad = E.T @ (E @ w - y)
        w = project_simplex(w - grad / L)
    return np.sum((w - w_ref) ** 2) + 0.5 * np.sum((E @ w - y) ** 2)


rng = np.random.default_rng(622)
bands, m = 20, 4
E = np.abs(rng.standard_normal((bands, m))) + 0.2
w_true = np.array([0.5, 0.3, 0.2, 0.0])
y = E @ w_true + 0.05 * rng.standard_normal(bands)
w_ref = np.array([0.4, 0.4, 0.1, 0.1])

f = unmix_loss
ARGS = (y, E, w_ref)
