"""Decorrelated feature learning: tanh features of the data, a regression head, and a penalty on the
off-diagonal entries of np.corrcoef(Z, rowvar=False) picked with np.triu_indices; plus np.std based
variance floor (VICReg-style hinge with np.maximum)."""
import numpy as np


def vicreg_like(params, X, y, gamma=1.0):
    W, v = params
    Z = np.tanh(X @ W)
    pred = Z @ v
    mse = np.mean((pred - y) ** 2)
    C = np.corrcoef(Z, rowvar=False)
    iu = np.triu_indices(C.shape[0], k=1)
    decor = np.sum(C[iu] ** 2)
    std = np.std(Z, axis=0)
    var_pen = np.mean(np.maximum(gamma - std, 0.0))
    return mse + 0.1 * decor + var_pen


rng = np.random.default_rng(117)
X = rng.standard_normal((40, 5))
y = np.sin(X[:, 0]) + 0.5 * X[:, 1] * X[:, 2]
params = (0.7 * rng.standard_normal((5, 4)), 0.5 * rng.standard_normal(4))

f = vicreg_like
ARGS = (params, X, y)
