"""Multiple-kernel ridge regression with the kernel weights and the ridge parameter tuned by the
closed-form leave-one-out error: the candidate kernels (RBFs at several bandwidths, a periodic and
a linear kernel) are built by map over a list of lambdas, combined with softmax weights, and the
LOO residuals are (y - H y) / (1 - diag H) with the hat matrix H = K (K + lam I)^-1."""
import numpy as np


def sqdist(X):
    s = np.sum(X ** 2, axis=1)
    return np.maximum(s[:, None] + s[None, :] - 2 * X @ X.T, 0.0)


def make_kernels(X):
    D2 = sqdist(X)
    D1 = np.sqrt(D2 + 1e-12)
    builders = [lambda bw=bw: np.exp(-D2 / (2 * bw ** 2)) for bw in (0.3, 1.0, 3.0)]
    builders.append(lambda: np.exp(-2 * np.sin(np.pi * D1 / 2.0) ** 2))
    builders.append(lambda: X @ X.T / X.shape[1])
    return list(map(lambda b: b(), builders))


def loo_loss(eta, log_lam, kernels, y):
    w = np.exp(eta - np.max(eta))
    w = w / w.sum()
    K = sum(wk * Kk for wk, Kk in zip(w, kernels))
    n = len(y)
    G = K + np.exp(log_lam) * np.eye(n)
    H = K @ np.linalg.inv(G)
    r = (y - H @ y) / (1.0 - np.diag(H))
    return np.mean(r ** 2)


rng = np.random.default_rng(14)
X = rng.uniform(-2, 2, (30, 2))
y = np.sin(2 * X[:, 0]) + 0.5 * X[:, 1] + 0.1 * rng.standard_normal(30)
KERNELS = make_kernels(X)
f = loo_loss
ARGS = (0.1 * rng.standard_normal(5), np.log(0.1), KERNELS, y)
KW = {"wrt": ("eta", "log_lam")}
