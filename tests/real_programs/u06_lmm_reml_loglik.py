"""Linear mixed model (random intercept and slope per subject): REML negative log-likelihood with a
log-Cholesky covariance, per-group Cholesky inside try/except LinAlgError with a jitter fallback,
triangular solves via np.linalg.solve, and np.linalg.slogdet for the REML term."""
import numpy as np


def random_effects_cov(theta):
    L = np.array([[np.exp(theta["l11"]), 0.0],
                  [theta["l21"], np.exp(theta["l22"])]])
    return L @ L.T


def reml_nll(theta, groups):
    D = random_effects_cov(theta)
    sigma2 = np.exp(2 * theta["log_sigma"])
    beta = theta["beta"]
    total = 0.0
    XtVinvX = np.zeros((len(beta), len(beta)))
    for X, Z, y in groups:
        n = len(y)
        V = Z @ D @ Z.T + sigma2 * np.eye(n)
        try:
            L = np.linalg.cholesky(V)
        except np.linalg.LinAlgError:
            L = np.linalg.cholesky(V + 1e-8 * np.eye(n))
        r = y - X @ beta
        alpha = np.linalg.solve(L, r)
        total += np.sum(np.log(np.diag(L))) + 0.5 * alpha @ alpha + 0.5 * n * np.log(2 * np.pi)
        XtVinvX += X.T @ np.linalg.solve(V, X)
    sign, logdet = np.linalg.slogdet(XtVinvX)
    return total + 0.5 * logdet


rng = np.random.default_rng(606)
groups = []
for g in range(8):
    n = rng.integers(4, 9)
    t = np.sort(rng.uniform(0, 3, n))
    X = np.column_stack([np.ones(n), t])
    Z = X.copy()
    b = rng.multivariate_normal([0, 0], [[0.5, 0.1], [0.1, 0.2]])
    y = X @ np.array([1.0, 0.7]) + Z @ b + 0.3 * rng.standard_normal(n)
    groups.append((X, Z, y))
theta = {"l11": -0.4, "l21": 0.1, "l22": -0.8, "log_sigma": -1.1, "beta": np.array([0.9, 0.6])}

f = reml_nll
ARGS = (theta, groups)
