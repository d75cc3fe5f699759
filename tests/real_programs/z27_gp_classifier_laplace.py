"""Gaussian-process binary classification by the Laplace approximation (GPML Algorithm 3.1/3.2):
Newton iterations for the posterior mode in a while loop on the change of the objective, with the
B = I + W^1/2 K W^1/2 system factorised by scipy.linalg.cho_factor and solved with cho_solve /
solve_triangular, as the book does; the approximate log marginal likelihood is maximised over the
RBF kernel's log length scale and log amplitude.  Differentiated w.r.t. the log hyperparameters."""
import numpy as np
from scipy.linalg import cho_factor, cho_solve, solve_triangular


def rbf(X, log_ell, log_sf):
    d2 = np.sum((X[:, None, :] - X[None, :, :]) ** 2, axis=-1)
    return np.exp(2 * log_sf) * np.exp(-0.5 * d2 / np.exp(2 * log_ell))


def neg_log_marginal(log_hyp, X, y, tol=1e-10, max_iter=50):
    K = rbf(X, log_hyp[0], log_hyp[1])
    n = len(y)
    f = np.zeros(n)
    obj_old = np.inf
    for it in range(max_iter):
        pi = 1.0 / (1.0 + np.exp(-f))
        W = pi * (1 - pi)
        sW = np.sqrt(W)
        B = np.eye(n) + sW[:, None] * K * sW[None, :]
        L = np.linalg.cholesky(B)
        b = W * f + (y + 1) / 2 - pi
        c, low = cho_factor(B, lower=True)
        a = b - sW * cho_solve((c, low), sW * (K @ b))
        f = K @ a
        obj = -0.5 * a @ f + np.sum(-np.logaddexp(0.0, -y * f))
        if abs(obj - obj_old) < tol:
            break
        obj_old = obj
    pi = 1.0 / (1.0 + np.exp(-f))
    sW = np.sqrt(pi * (1 - pi))
    B = np.eye(n) + sW[:, None] * K * sW[None, :]
    L = np.linalg.cholesky(B)
    v = solve_triangular(L, sW[:, None] * K, lower=True)
    log_q = -0.5 * a @ f + np.sum(-np.logaddexp(0.0, -y * f)) - np.sum(np.log(np.diag(L)))
    return -log_q + 1e-3 * np.trace(v.T @ v)


rng = np.random.default_rng(27)
X = rng.uniform(-2, 2, (25, 2))
y = np.where(np.sin(2 * X[:, 0]) + X[:, 1] > 0, 1.0, -1.0)
f = neg_log_marginal
ARGS = (np.array([np.log(0.8), np.log(1.5)]), X, y)
