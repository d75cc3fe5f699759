"""Gaussian-process regression, ARD squared-exponential kernel, hyperparameters in a dict on a log
scale; negative log marginal likelihood with np.linalg.solve and slogdet."""
import numpy as np

def ard_kernel(X1, X2, hyp):
    ell = np.exp(hyp["log_ell"])
    sf2 = np.exp(2 * hyp["log_sf"])
    A = X1 / ell
    B = X2 / ell
    d2 = np.sum(A ** 2, axis=1)[:, None] + np.sum(B ** 2, axis=1)[None, :] - 2 * A @ B.T
    return sf2 * np.exp(-0.5 * np.maximum(d2, 0.0))

def neg_log_marglik(hyp, X, y):
    n = X.shape[0]
    K = ard_kernel(X, X, hyp) + (np.exp(2 * hyp["log_sn"]) + 1e-8) * np.eye(n)
    alpha = np.linalg.solve(K, y - hyp["mean"])
    sign, logdet = np.linalg.slogdet(K)
    assert sign > 0, "kernel matrix not positive definite"
    return 0.5 * (y - hyp["mean"]) @ alpha + 0.5 * logdet + 0.5 * n * np.log(2 * np.pi)

rng = np.random.default_rng(12)
X = rng.uniform(-2, 2, size=(15, 3))
y = np.sin(X[:, 0]) + 0.5 * X[:, 1] ** 2 + 0.1 * rng.standard_normal(15)
hyp = {"log_ell": np.array([0.1, -0.2, 0.5]), "log_sf": 0.2, "log_sn": -1.5, "mean": 0.3}
f = neg_log_marglik
KW = dict(wrt="hyp")
ARGS = (hyp, X, y)
