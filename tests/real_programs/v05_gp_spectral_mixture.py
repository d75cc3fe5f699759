"""GP regression with a spectral-mixture kernel (Wilson & Adams): hyperparameters in log space in a
dict, the kernel accumulated over mixture components with `K += ...` in a zip loop, negative log
marginal likelihood via Cholesky and two triangular solves with np.linalg.solve."""
import numpy as np


def sm_kernel(x1, x2, weights, means, scales):
    tau = x1[:, None] - x2[None, :]
    K = np.zeros_like(tau)
    for w, mu, s in zip(weights, means, scales):
        K += w * np.exp(-2 * np.pi ** 2 * tau ** 2 * s ** 2) * np.cos(2 * np.pi * tau * mu)
    return K


def neg_log_marginal(hyp, x, y):
    w = np.exp(hyp["log_w"])
    mu = np.exp(hyp["log_mu"])
    s = np.exp(hyp["log_s"])
    noise = np.exp(2 * hyp["log_noise"])
    n = len(x)
    K = sm_kernel(x, x, w, mu, s) + (noise + 1e-6) * np.eye(n)
    L = np.linalg.cholesky(K)
    alpha = np.linalg.solve(L.T, np.linalg.solve(L, y))
    return 0.5 * y @ alpha + np.sum(np.log(np.diag(L))) + 0.5 * n * np.log(2 * np.pi)


rng = np.random.default_rng(705)
x = np.sort(rng.uniform(0, 6, 30))
y = np.sin(2 * np.pi * 0.5 * x) + 0.5 * np.cos(2 * np.pi * 1.3 * x) * np.exp(-0.1 * x) + 0.1 * rng.standard_normal(30)
hyp = {
    "log_w": np.log(np.array([0.6, 0.3])),
    "log_mu": np.log(np.array([0.45, 1.2])),
    "log_s": np.log(np.array([0.1, 0.2])),
    "log_noise": np.log(0.15),
}

f = neg_log_marginal
ARGS = (hyp, x, y)
