"""Laplace approximation to the evidence of a Poisson GLM: Newton iterations to the MAP (a fixed
number), then log p(y | w*) + log prior - 0.5 log det(Hessian); the prior precision is learned."""
import numpy as np

def log_joint(w, X, y, alpha):
    eta = X @ w
    return np.sum(y * eta - np.exp(eta)) - 0.5 * alpha * w @ w + 0.5 * len(w) * np.log(alpha / (2 * np.pi))

def laplace_evidence(log_alpha, X, y, n_newton=8):
    alpha = np.exp(log_alpha)
    D = X.shape[1]
    w = np.zeros(D)
    for _ in range(n_newton):
        mu = np.exp(X @ w)
        g = X.T @ (y - mu) - alpha * w
        Hm = X.T @ (mu[:, None] * X) + alpha * np.eye(D)
        w = w + np.linalg.solve(Hm, g)
    mu = np.exp(X @ w)
    Hm = X.T @ (mu[:, None] * X) + alpha * np.eye(D)
    L = np.linalg.cholesky(Hm)
    logdet = 2 * np.sum(np.log(np.diag(L)))
    return -(log_joint(w, X, y, alpha) + 0.5 * D * np.log(2 * np.pi) - 0.5 * logdet)

rng = np.random.default_rng(32)
X = np.column_stack([np.ones(40), 0.5 * rng.standard_normal((40, 3))])
y = rng.poisson(np.exp(X @ np.array([0.5, 0.3, -0.4, 0.2]))).astype(float)
f = laplace_evidence
ARGS = (np.log(2.0), X, y)
EXTRA = ["hessian", "checkpoint"]
