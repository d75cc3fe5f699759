"""Feature standardisation done in place on the argument, as a preprocessing helper might
(X -= X.mean(0); X /= X.std(0)), then a ridge-regularised logistic loss; wrt X is unusual but the
weights are the main wrt. The helper mutates its input (a common pattern in scripts)."""
import numpy as np


def standardise_(X):
    X -= X.mean(axis=0)
    X /= X.std(axis=0) + 1e-8
    return X


def logistic_loss(w, X, y, lam=0.1):
    Z = standardise_(X.copy())
    z = Z @ w
    p = 1.0 / (1.0 + np.exp(-z))
    eps = 1e-12
    ll = y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps)
    return -ll.mean() + lam * w @ w


rng = np.random.default_rng(21)
X = rng.standard_normal((15, 3)) * np.array([1.0, 5.0, 0.2]) + 2.0
y = (rng.uniform(size=15) < 0.5).astype(float)
f = logistic_loss
KW = {"wrt": ("w", "X")}
ARGS = (rng.standard_normal(3), X, y)
