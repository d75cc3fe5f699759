"""Kernel ridge regression with a sum of kernels made by functools.partial (different lengthscales
and periods bound as keywords), held in a list, summed; the loss is the validation error of the
ridge solution as a function of the log weights of each kernel."""
from functools import partial

import numpy as np


def rbf(a, b, ell=1.0):
    d2 = (a[:, None] - b[None, :]) ** 2
    return np.exp(-0.5 * d2 / ell ** 2)


def periodic(a, b, period=1.0, ell=1.0):
    d = np.abs(a[:, None] - b[None, :])
    return np.exp(-2.0 * np.sin(np.pi * d / period) ** 2 / ell ** 2)


KERNELS = [partial(rbf, ell=0.3), partial(rbf, ell=2.0), partial(periodic, period=1.5, ell=0.8)]


def val_loss(log_w, x_tr, y_tr, x_va, y_va, lam=1e-2):
    w = np.exp(log_w)
    K = sum(wi * k(x_tr, x_tr) for wi, k in zip(w, KERNELS))
    Kva = sum(wi * k(x_va, x_tr) for wi, k in zip(w, KERNELS))
    alpha = np.linalg.solve(K + lam * np.eye(len(x_tr)), y_tr)
    return np.mean((Kva @ alpha - y_va) ** 2)


rng = np.random.default_rng(4)
x_tr = np.sort(rng.uniform(0, 6, 25))
x_va = np.sort(rng.uniform(0, 6, 10))
g = lambda x: np.sin(2 * np.pi * x / 1.5) + 0.3 * x
y_tr = g(x_tr) + 0.1 * rng.standard_normal(25)
y_va = g(x_va)

f = val_loss
ARGS = (np.array([-0.5, 0.2, 0.1]), x_tr, y_tr, x_va, y_va)
