"""Sparse Gaussian-process regression (Titsias' collapsed variational bound) with a Matern-5/2
kernel: distances r = sqrt(squared distances) for K_zz, K_zx and the diagonal of K_xx, the bound by
Cholesky factors and triangular solves written with np.linalg.solve, and the inducing-point
locations Z optimised together with the log length scale, log signal and log noise.
Differentiated w.r.t. (Z, log_hyp)."""
import numpy as np


def sqdist(A, B):
    return np.sum((A[:, None, :] - B[None, :, :]) ** 2, axis=-1)


def matern52(A, B, log_ell, log_sf):
    r = np.sqrt(sqdist(A, B)) / np.exp(log_ell)
    s5r = np.sqrt(5.0) * r
    return np.exp(2 * log_sf) * (1.0 + s5r + 5.0 / 3.0 * r ** 2) * np.exp(-s5r)


def neg_elbo(Z, log_hyp, X, y, jitter=1e-6):
    log_ell, log_sf, log_sn = log_hyp[0], log_hyp[1], log_hyp[2]
    n, m = len(X), len(Z)
    sn2 = np.exp(2 * log_sn)
    Kzz = matern52(Z, Z, log_ell, log_sf) + jitter * np.eye(m)
    Kzx = matern52(Z, X, log_ell, log_sf)
    kxx_diag = np.full(n, np.exp(2 * log_sf))
    L = np.linalg.cholesky(Kzz)
    A = np.linalg.solve(L, Kzx) / np.sqrt(sn2)
    B = np.eye(m) + A @ A.T
    LB = np.linalg.cholesky(B)
    c = np.linalg.solve(LB, A @ y) / np.sqrt(sn2)
    bound = -0.5 * n * np.log(2 * np.pi * sn2) - np.sum(np.log(np.diag(LB)))
    bound += -0.5 * y @ y / sn2 + 0.5 * c @ c
    bound += -0.5 * np.sum(kxx_diag) / sn2 + 0.5 * np.trace(A @ A.T)
    return -bound


rng = np.random.default_rng(33)
X = rng.uniform(-3, 3, (40, 1))
y = np.sin(2 * X[:, 0]) + 0.1 * rng.standard_normal(40)
Z = np.linspace(-2.5, 2.5, 6)[:, None] + 0.05 * rng.standard_normal((6, 1))
f = neg_elbo
ARGS = (Z, np.array([np.log(0.8), 0.0, np.log(0.2)]), X, y)
KW = {"wrt": ("Z", "log_hyp")}
