"""Matrix completion (soft-impute objective): squared error on the observed entries (np.sum with
where=mask), the nuclear norm through np.linalg.norm(X, 'nuc'), a spectral-norm penalty
(np.linalg.norm(X, 2)), and an effective-rank entropy of the normalised singular values
(np.linalg.svd with compute_uv=False).  Differentiated w.r.t. the full completed matrix X."""
import numpy as np


def objective(X, M, mask, lam=0.3, mu=0.01, nu=0.05):
    fit = 0.5 * np.sum((X - M) ** 2, where=mask)
    nuc = np.linalg.norm(X, "nuc")
    spec = np.linalg.norm(X, 2)
    s = np.linalg.svd(X, compute_uv=False)
    p = s / s.sum()
    eff_rank = np.exp(-np.sum(p * np.log(p)))
    return fit + lam * nuc + mu * spec ** 2 + nu * eff_rank


rng = np.random.default_rng(7)
U, Vt = rng.standard_normal((9, 2)), rng.standard_normal((2, 7))
M = U @ Vt + 0.05 * rng.standard_normal((9, 7))
mask = rng.random((9, 7)) < 0.6
X0 = np.where(mask, M, 0.0) + 0.1 * rng.standard_normal((9, 7))
f = objective
ARGS = (X0, M, mask)
