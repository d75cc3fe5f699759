"""Sparse variational Gaussian process regression (Titsias 2009 collapsed bound): RBF kernel from a
helper with a dict of hyper-parameters, inducing inputs as free parameters, jitter added to Kuu,
Cholesky factors and triangular solves via np.linalg.solve, the bound assembled from log-det,
quadratic and trace terms."""
import numpy as np


def rbf(X1, X2, hyp):
    ls = np.exp(hyp["log_ls"])
    sf2 = np.exp(2 * hyp["log_sf"])
    d2 = np.sum((X1[:, None, :] - X2[None, :, :]) ** 2 / ls ** 2, axis=-1)
    return sf2 * np.exp(-0.5 * d2)


def neg_elbo(params, X, y, jitter=1e-6):
    hyp, Z = params["hyp"], params["Z"]
    n, m = X.shape[0], Z.shape[0]
    sn2 = np.exp(2 * hyp["log_sn"])
    Kuu = rbf(Z, Z, hyp) + jitter * np.eye(m)
    Kuf = rbf(Z, X, hyp)
    Luu = np.linalg.cholesky(Kuu)
    A = np.linalg.solve(Luu, Kuf) / np.sqrt(sn2)
    B = np.eye(m) + A @ A.T
    LB = np.linalg.cholesky(B)
    c = np.linalg.solve(LB, A @ y) / np.sqrt(sn2)
    kff_diag = np.exp(2 * hyp["log_sf"]) * np.ones(n)
    bound = -0.5 * n * np.log(2 * np.pi * sn2)
    bound -= np.sum(np.log(np.diag(LB)))
    bound -= 0.5 * (y @ y) / sn2
    bound += 0.5 * (c @ c)
    bound -= 0.5 * (np.sum(kff_diag) / sn2 - np.trace(A @ A.T))
    return -bound


rng = np.random.default_rng(27)
n, m = 40, 6
X = rng.uniform(-3, 3, (n, 1))
y = np.sin(2 * X[:, 0]) + 0.1 * rng.standard_normal(n)
params = {"hyp": {"log_ls": np.array([np.log(0.8)]), "log_sf": 0.0, "log_sn": np.log(0.2)},
          "Z": np.linspace(-2.5, 2.5, m)[:, None] + 0.05 * rng.standard_normal((m, 1))}
f = neg_elbo
KW = dict(wrt="params")
ARGS = (params, X, y)
