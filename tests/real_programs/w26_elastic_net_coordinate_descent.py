"""Elastic-net regression by cyclic coordinate descent, the way a statistics student writes it:
the residual kept up to date in place (r -= ...), each coefficient written with beta[j] = ...,
a soft-threshold helper, a while loop until the largest coefficient change is below a tolerance
(or a sweep cap); the validation error is differentiated w.r.t. the regularisation strength (log)
and the ridge part (a hypergradient for tuning)."""
import numpy as np


def soft_threshold(z, gamma):
    if z > gamma:
        return z - gamma
    if z < -gamma:
        return z + gamma
    return 0.0 * z


def elastic_net_cd(X, y, alpha, l1_ratio, tol=1e-10, max_sweeps=200):
    n, p = X.shape
    beta = np.zeros(p)
    r = y.copy()
    col_sq = np.sum(X ** 2, axis=0) / n
    sweeps, max_change = 0, np.inf
    while max_change > tol and sweeps < max_sweeps:
        max_change = 0.0
        for j in range(p):
            old = beta[j]
            rho = X[:, j] @ r / n + col_sq[j] * old
            beta[j] = soft_threshold(rho, alpha * l1_ratio) / (col_sq[j] + alpha * (1.0 - l1_ratio))
            r -= X[:, j] * (beta[j] - old)
            max_change = max(max_change, abs(beta[j] - old))
        sweeps += 1
    return beta


def validation_error(log_alpha, l1_ratio, X, y, X_val, y_val):
    beta = elastic_net_cd(X, y, np.exp(log_alpha), l1_ratio)
    return np.mean((X_val @ beta - y_val) ** 2)


rng = np.random.default_rng(2026)
n, p = 50, 8
beta_true = np.array([1.5, -2.0, 0.0, 0.0, 0.8, 0.0, 0.0, 0.3])
X = rng.standard_normal((n, p))
y = X @ beta_true + 0.5 * rng.standard_normal(n)
X_val = rng.standard_normal((30, p))
y_val = X_val @ beta_true + 0.5 * rng.standard_normal(30)
f = validation_error
KW = dict(wrt=("log_alpha", "l1_ratio"))
ARGS = (np.log(0.1), 0.6, X, y, X_val, y_val)
