"""Sparse-ish design matrix built with np.put on flat indices, a band written through A.flat with
a step, and np.copyto with a where mask for censored responses; least-squares fit with a
Tikhonov term, wrt the coefficient vector."""
import numpy as np


def design(x, n_basis):
    n = len(x)
    A = np.zeros((n, n_basis))
    centres = np.linspace(0, 1, n_basis)
    flat_idx = np.arange(n) * n_basis + np.argmin(np.abs(x[:, None] - centres[None, :]), axis=1)
    np.put(A, flat_idx, 1.0)
    A += np.exp(-((x[:, None] - centres[None, :]) / 0.2) ** 2)
    return A


def loss(beta, x, y, cens_level):
    A = design(x, len(beta))
    pred = A @ beta
    target = y.copy()
    np.copyto(target, pred, where=y > cens_level)
    r = pred - target
    D = np.zeros((len(beta) - 1, len(beta)))
    D.flat[::len(beta) + 1] = -1.0
    D.flat[1::len(beta) + 1] = 1.0
    return r @ r + 0.1 * np.sum((D @ beta) ** 2)


rng = np.random.default_rng(23)
x = np.sort(rng.uniform(0, 1, 16))
y = np.sin(4 * x) + 0.1 * rng.standard_normal(16)
f = loss
ARGS = (0.3 * rng.standard_normal(6), x, y, 0.8)
