"""Principal-component regression with a nuclear-norm denoising term: thin SVD of the (denoised)
design matrix, the top-k scores regressed on the response with np.linalg.lstsq (rcond=None,
unpacking coef, *rest), fit + nuclear norm + distance to the noisy observation; wrt the matrix."""
import numpy as np


def pcr_objective(X, X_obs, y, k=3, lam=0.05):
    U, s, Vt = np.linalg.svd(X, full_matrices=False)
    scores = U[:, :k] * s[:k]
    coef, *_ = np.linalg.lstsq(scores, y, rcond=None)
    resid = y - scores @ coef
    return np.mean(resid ** 2) + lam * s.sum() + 0.5 * np.sum((X - X_obs) ** 2)


rng = np.random.default_rng(634)
n, p = 30, 6
F = rng.standard_normal((n, 3))
X_obs = F @ rng.standard_normal((3, p)) + 0.2 * rng.standard_normal((n, p))
y = F @ np.array([1.0, -0.5, 0.3]) + 0.1 * rng.standard_normal(n)
X = X_obs + 0.05 * rng.standard_normal((n, p))

f = pcr_objective
ARGS = (X, X_obs, y)
