"""GP regression marginal likelihood with an ARD squared-exponential kernel, written like most GP
code: the Cholesky factorisation retried with growing jitter in a for loop with try/except
LinAlgError (break on success), alpha by two triangular solves (np.linalg.solve), the log
determinant from the diagonal of L, and weak log-normal priors on the hyperparameters.
Differentiated w.r.t. the hyperparameter dict."""
import numpy as np


def ard_kernel(X1, X2, ell, sf2):
    Z1, Z2 = X1 / ell, X2 / ell
    d2 = np.sum(Z1 ** 2, 1)[:, None] + np.sum(Z2 ** 2, 1)[None, :] - 2 * Z1 @ Z2.T
    return sf2 * np.exp(-0.5 * np.maximum(d2, 0.0))


def neg_log_marginal(hyp, X, y):
    ell = np.exp(hyp["log_ell"])
    sf2 = np.exp(2 * hyp["log_sf"])
    sn2 = np.exp(2 * hyp["log_sn"])
    n = len(y)
    K = ard_kernel(X, X, ell, sf2) + sn2 * np.eye(n)
    L = None
    for jitter in (0.0, 1e-8, 1e-6, 1e-4):
        try:
            L = np.linalg.cholesky(K + jitter * np.eye(n))
            break
        except np.linalg.LinAlgError:
            continue
    if L is None:
        raise ValueError("kernel matrix is not positive definite")
    alpha = np.linalg.solve(L.T, np.linalg.solve(L, y))
    nll = 0.5 * y @ alpha + np.sum(np.log(np.diag(L))) + 0.5 * n * np.log(2 * np.pi)
    prior = 0.5 * np.sum(hyp["log_ell"] ** 2) + 0.5 * hyp["log_sf"] ** 2 + 0.5 * (hyp["log_sn"] + 2) ** 2
    return nll + prior


rng = np.random.default_rng(38)
X = rng.uniform(-2, 2, (30, 2))
y = np.sin(X[:, 0]) * np.cos(0.5 * X[:, 1]) + 0.1 * rng.standard_normal(30)
f = neg_log_marginal
ARGS = ({"log_ell": np.zeros(2), "log_sf": 0.0, "log_sn": np.log(0.1)}, X, y)
