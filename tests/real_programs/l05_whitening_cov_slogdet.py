"""Learned whitening for anomaly scoring: data mapped by a learnable matrix, its sample covariance by
np.cov(rowvar=False), Gaussian NLL via np.linalg.slogdet and np.linalg.solve inside try/except
LinAlgError (with a jitter retry), plus Mahalanobis scores' log-sum-exp for the top anomalies."""
import numpy as np


def gaussian_nll(Z):
    C = np.cov(Z, rowvar=False)
    mu = Z.mean(axis=0)
    try:
        sign, logdet = np.linalg.slogdet(C)
        if sign <= 0:
            raise np.linalg.LinAlgError("not PD")
        sol = np.linalg.solve(C, (Z - mu).T)
    except np.linalg.LinAlgError:
        C = C + 1e-6 * np.eye(C.shape[0])
        sign, logdet = np.linalg.slogdet(C)
        sol = np.linalg.solve(C, (Z - mu).T)
    maha = np.sum((Z - mu).T * sol, axis=0)
    return 0.5 * (logdet + maha.mean()), maha


def whiten_loss(W, X, target_logdet=0.0):
    Z = X @ W
    nll, maha = gaussian_nll(Z)
    m = maha.max()
    soft_top = m + np.log(np.sum(np.exp(maha - m)))
    _, ld_w = np.linalg.slogdet(W)
    return nll + 0.1 * soft_top - ld_w + 0.01 * (ld_w - target_logdet) ** 2


rng = np.random.default_rng(105)
A = rng.standard_normal((4, 4))
X = rng.standard_normal((60, 4)) @ A
W = np.eye(4) + 0.1 * rng.standard_normal((4, 4))

f = whiten_loss
ARGS = (W, X)
