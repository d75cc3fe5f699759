"""Sparse Gaussian graphical model fitted with a flat parameter vector (the way scipy.optimize
users write it): np.split cuts it into log-diagonal and strictly-lower Cholesky entries, the
factor is assembled with a tril_indices write and a boolean-mask write on its diagonal, the
precision is L L^T; the penalised negative log-likelihood uses np.linalg.slogdet, a smooth L1 on
the partial correlations, and np.linalg.det of one 2x2 marginal covariance block (np.linalg.inv)."""
import numpy as np


def unpack(theta, p):
    log_diag, off = np.split(theta, [p])
    L = np.zeros((p, p))
    L[np.tril_indices(p, -1)] = off
    diag_mask = np.eye(p, dtype=bool)
    L[diag_mask] = np.exp(log_diag)
    return L


def partial_correlations(P):
    d = np.sqrt(np.diag(P))
    R = -P / np.outer(d, d)
    return R[np.triu_indices(P.shape[0], 1)]


def penalised_nll(theta, S, n, lam=0.05, pair=(0, 1), eps=1e-4):
    p = S.shape[0]
    L = unpack(theta, p)
    P = L @ L.T
    sign, logdet = np.linalg.slogdet(P)
    nll = -0.5 * n * (logdet - np.trace(S @ P))
    rho = partial_correlations(P)
    penalty = lam * n * np.sum(np.sqrt(rho ** 2 + eps))
    cov = np.linalg.inv(P)
    i, j = pair
    block = cov[np.ix_([i, j], [i, j])]
    marginal = 0.5 * np.log(np.linalg.det(block))
    return (nll + penalty) / n + 0.01 * marginal


rng = np.random.default_rng(2030)
p, n = 5, 200
P_true = np.eye(p) + np.diag(np.full(p - 1, -0.4), 1) + np.diag(np.full(p - 1, -0.4), -1)
X = rng.multivariate_normal(np.zeros(p), np.linalg.inv(P_true), size=n)
S = X.T @ X / n
theta0 = np.concatenate([np.zeros(p) + 0.05 * rng.standard_normal(p), 0.1 * rng.standard_normal(p * (p - 1) // 2)])
f = penalised_nll
ARGS = (theta0, S, n)
