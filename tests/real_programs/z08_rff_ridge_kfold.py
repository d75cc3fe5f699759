"""Kernel ridge regression approximated with random Fourier features (an ARD RBF kernel): the
feature map is a functools.partial of a helper with the frequencies drawn inside the function from
a seeded Generator, the ridge solution by np.linalg.solve, and the hyperparameters (log length
scales, log amplitude, log noise) are tuned on 4-fold cross-validation error (folds from
np.array_split, training rows by np.delete).  Differentiated w.r.t. the hyperparameter dict."""
from functools import partial

import numpy as np


def features(X, Omega, b, amp):
    D = Omega.shape[1]
    return amp * np.sqrt(2.0 / D) * np.cos(X @ Omega + b)


def cv_error(log_hyp, X, y, n_features=40, n_folds=4, seed=0):
    ls = np.exp(log_hyp["log_ls"])
    amp = np.exp(log_hyp["log_amp"])
    noise = np.exp(log_hyp["log_noise"])
    rng = np.random.default_rng(seed)
    Omega = rng.standard_normal((X.shape[1], n_features)) / ls[:, None]
    b = rng.uniform(0.0, 2.0 * np.pi, n_features)
    phi = partial(features, Omega=Omega, b=b, amp=amp)
    P = phi(X)
    folds = np.array_split(np.arange(len(X)), n_folds)
    total = 0.0
    for fold in folds:
        P_tr = np.delete(P, fold, axis=0)
        y_tr = np.delete(y, fold)
        A = P_tr.T @ P_tr + noise * np.eye(n_features)
        w = np.linalg.solve(A, P_tr.T @ y_tr)
        total += np.mean((P[fold] @ w - y[fold]) ** 2)
    return total / n_folds


rng = np.random.default_rng(8)
X = rng.uniform(-2, 2, (30, 3))
y = np.sin(X[:, 0] * 1.5) + 0.3 * X[:, 1] ** 2 + 0.05 * rng.standard_normal(30)
f = cv_error
ARGS = ({"log_ls": np.zeros(3), "log_amp": 0.0, "log_noise": np.log(0.1)}, X, y)
