"""Defensive numerical code: asserts on shapes with f-string messages, an early return for a
degenerate case, a try/except around a Cholesky solve that falls back to a jittered solve, and a
raise for invalid settings; the negative log likelihood of a Gaussian with a low-rank-plus-diagonal
covariance."""
import numpy as np


def lowrank_cov(F, log_d):
    assert F.ndim == 2, f"F must be 2-d, got shape {F.shape}"
    return F @ F.T + np.diag(np.exp(log_d))


def solve_spd(C, r):
    try:
        x = np.linalg.solve(C, r)
    except np.linalg.LinAlgError:
        x = np.linalg.solve(C + 1e-6 * np.eye(len(C)), r)
    return x


def nll(F, log_d, Y, min_samples=2):
    n, p = Y.shape
    if n < min_samples:
        return 0.0
    if F.shape[0] != p:
        raise ValueError(f"loading rows {F.shape[0]} != data dim {p}")
    C = lowrank_cov(F, log_d)
    sign, logdet = np.linalg.slogdet(C)
    assert sign > 0, f"covariance not positive definite (sign={sign})"
    total = 0.0
    for y in Y:
        total = total + y @ solve_spd(C, y)
    return 0.5 * (total + n * logdet + n * p * np.log(2 * np.pi))


rng = np.random.default_rng(18)
p, k = 5, 2
F_true = rng.standard_normal((p, k))
Y = rng.standard_normal((12, k)) @ F_true.T + 0.3 * rng.standard_normal((12, p))
F0 = 0.5 * rng.standard_normal((p, k))
log_d0 = np.log(0.2) * np.ones(p)

f = nll
ARGS = (F0, log_d0, Y)
KW = {"wrt": ("F", "log_d")}
