"""Graph-based semi-supervised learning: an RBF affinity graph whose bandwidth is learned,
symmetric normalisation D^-1/2 W D^-1/2, label spreading F <- a S F + (1 - a) Y iterated in a while
loop until the change falls below a tolerance, then cross-entropy of the propagated scores on
held-out labelled points."""
import numpy as np


def affinity(X, log_bw):
    d2 = np.sum((X[:, None, :] - X[None, :, :]) ** 2, axis=-1)
    W = np.exp(-d2 / (2 * np.exp(2 * log_bw)))
    return W * (1 - np.eye(len(X)))


def label_spreading(S, Y, alpha=0.9, tol=1e-8, max_iter=500):
    F = Y.copy()
    for it in range(max_iter):
        F_new = alpha * S @ F + (1 - alpha) * Y
        delta = np.abs(F_new - F).max()
        F = F_new
        if delta < tol:
            break
    return F


def holdout_loss(log_bw, X, Y_train, y_val, val_idx):
    W = affinity(X, log_bw)
    d = W.sum(axis=1)
    S = W / np.sqrt(np.outer(d, d))
    F = label_spreading(S, Y_train)
    P = F[val_idx] / F[val_idx].sum(axis=1, keepdims=True)
    return -np.mean(np.log(P[np.arange(len(val_idx)), y_val] + 1e-12))


rng = np.random.default_rng(34)
centers = np.array([[0.0, 0.0], [3.0, 0.5], [1.5, 2.5]])
labels = np.repeat(np.arange(3), 8)
X = centers[labels] + 0.7 * rng.standard_normal((24, 2))
train_idx = np.array([0, 8, 16, 3, 11, 19])
val_idx = np.array([1, 2, 9, 10, 17, 18])
Y_train = np.zeros((24, 3))
Y_train[train_idx, labels[train_idx]] = 1.0
f = holdout_loss
ARGS = (np.log(1.0), X, Y_train, labels[val_idx], val_idx)
