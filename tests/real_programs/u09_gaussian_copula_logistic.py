"""Gaussian copula with logistic marginals: probability integral transform through scipy.special.expit,
normal scores with scipy.stats.norm.ppf, a correlation matrix normalised from A A^T, and the
copula density with np.linalg.inv and np.linalg.det."""
import numpy as np
from scipy.special import expit
from scipy.stats import norm


def correlation(raw):
    A = np.eye(3) + np.tril(raw, -1)
    S = A @ A.T
    d = np.sqrt(np.diag(S))
    return S / np.outer(d, d)


def copula_nll(params, x):
    loc, log_scale = params["loc"], params["log_scale"]
    s = np.exp(log_scale)
    zstd = (x - loc) / s
    u = np.clip(expit(zstd), 1e-12, 1 - 1e-12)
    z = norm.ppf(u)
    marginal = -zstd - 2 * np.log1p(np.exp(-zstd)) - log_scale
    R = correlation(params["raw"])
    Rinv = np.linalg.inv(R)
    quad = np.einsum("ni,ij,nj->n", z, Rinv - np.eye(3), z)
    copula = -0.5 * np.log(np.linalg.det(R)) - 0.5 * quad
    return -(copula.sum() + marginal.sum())


rng = np.random.default_rng(609)
C = np.array([[1.0, 0.6, 0.2], [0.6, 1.0, -0.3], [0.2, -0.3, 1.0]])
g = rng.multivariate_normal(np.zeros(3), C, size=150)
u = norm.cdf(g)
x = np.array([1.0, -2.0, 0.5]) + np.array([0.8, 1.5, 0.3]) * np.log(u / (1 - u))
params = {"loc": np.array([0.9, -1.8, 0.45]), "log_scale": np.log(np.array([0.7, 1.6, 0.35])),
          "raw": 0.3 * rng.standard_normal((3, 3))}

f = copula_nll
ARGS = (params, x)
