"""Single-season site-occupancy model (MacKenzie et al.) for camera-trap detection histories:
occupancy probability from site covariates and detection probability from visit covariates,
both through scipy.special.expit; the likelihood of a site is psi * prod(p^y (1-p)^(1-y)) plus
(1 - psi) when the site was never detected (np.where on the per-site detection count), computed
in log space with np.log1p; coefficients in a dict of arrays built by a dict comprehension of
named covariate blocks; negative log-likelihood plus a ridge term over `params.values()`."""
import numpy as np
from scipy.special import expit


def neg_log_lik(params, site_X, visit_X, Y):
    psi = expit(site_X @ params["occ"] + params["occ_int"])
    p = expit(visit_X @ params["det"] + params["det_int"])  # (sites, visits)
    log_hist = np.sum(Y * np.log(p) + (1 - Y) * np.log1p(-p), axis=1)
    never = Y.sum(axis=1) == 0
    lik = psi * np.exp(log_hist) + np.where(never, 1.0 - psi, 0.0)
    ridge = 0.5 * sum(np.sum(v ** 2) for v in params.values())
    return -np.sum(np.log(lik)) + 0.01 * ridge


rng = np.random.default_rng(1515)
n_sites, n_visits = 80, 5
site_X = rng.standard_normal((n_sites, 2))
visit_X = rng.standard_normal((n_sites, n_visits, 3))
z = rng.random(n_sites) < expit(site_X @ np.array([1.0, -0.5]) + 0.3)
Y = ((rng.random((n_sites, n_visits)) < expit(visit_X @ np.array([0.5, 0.2, -0.8]) - 0.2)) & z[:, None]).astype(float)
blocks = {"occ": 2, "det": 3}
params = {name: 0.1 * rng.standard_normal(k) for name, k in blocks.items()} | {"occ_int": 0.0, "det_int": 0.0}
f = neg_log_lik
ARGS = (params, site_X, visit_X, Y)
