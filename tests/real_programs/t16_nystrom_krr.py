"""Nystrom kernel ridge regression: RBF kernel on a subset of landmark points, the landmark
kernel's inverse square root from np.linalg.eigh, explicit features and a ridge solve; the
hyperparameters (log lengthscales per dimension, log ridge) are tuned on a validation split."""
import numpy as np


def rbf(A, B, lengthscales):
    A = A / lengthscales
    B = B / lengthscales
    d2 = np.sum(A ** 2, 1)[:, None] + np.sum(B ** 2, 1)[None, :] - 2 * A @ B.T
    return np.exp(-0.5 * np.maximum(d2, 0.0))


def nystrom_features(X, landmarks, lengthscales, jitter=1e-6):
    Kmm = rbf(landmarks, landmarks, lengthscales) + jitter * np.eye(len(landmarks))
    s, V = np.linalg.eigh(Kmm)
    inv_sqrt = V @ np.diag(1.0 / np.sqrt(s)) @ V.T
    return rbf(X, landmarks, lengthscales) @ inv_sqrt


def validation_loss(hyper, Xtr, ytr, Xva, yva, landmarks):
    ls = np.exp(hyper[:-1])
    lam = np.exp(hyper[-1])
    Phi = nystrom_features(Xtr, landmarks, ls)
    A = Phi.T @ Phi + lam * np.eye(Phi.shape[1])
    w = np.linalg.solve(A, Phi.T @ ytr)
    pred = nystrom_features(Xva, landmarks, ls) @ w
    return np.mean((pred - yva) ** 2)


rng = np.random.default_rng(516)
X = rng.uniform(-2, 2, size=(60, 2))
y = np.sin(2 * X[:, 0]) * np.cos(X[:, 1]) + 0.05 * rng.standard_normal(60)
Xtr, ytr, Xva, yva = X[:40], y[:40], X[40:], y[40:]
landmarks = Xtr[rng.choice(40, 8, replace=False)]

f = validation_loss
ARGS = (np.array([np.log(0.8), np.log(1.1), np.log(1e-2)]), Xtr, ytr, Xva, yva, landmarks)
