"""Random-intercept logistic regression (a GLMM) fitted by maximising the marginal likelihood,
the per-group integral over the random intercept done by Gauss-Hermite quadrature in log space."""
import numpy as np
from scipy.special import logsumexp

GH_NODES, GH_WEIGHTS = np.polynomial.hermite.hermgauss(15)


def log_sigmoid(z):
    return -np.logaddexp(0.0, -z)


def group_marginal_loglik(beta, tau, Xg, yg):
    b = np.sqrt(2.0) * tau * GH_NODES                       # quadrature points for the intercept
    eta = (Xg @ beta)[:, None] + b[None, :]                 # (n_g, n_nodes)
    ll = np.sum(yg[:, None] * log_sigmoid(eta) + (1 - yg[:, None]) * log_sigmoid(-eta), axis=0)
    return logsumexp(ll + np.log(GH_WEIGHTS)) - 0.5 * np.log(np.pi)


def negative_marginal_loglik(params, groups):
    beta = params["beta"]
    tau = np.exp(params["log_tau"])
    total = 0.0
    for g, (Xg, yg) in enumerate(groups):
        total -= group_marginal_loglik(beta, tau, Xg, yg)
    return total / len(groups)


rng = np.random.default_rng(120)
groups = []
for g in range(8):
    n_g = rng.integers(5, 12)
    Xg = np.column_stack([np.ones(n_g), rng.standard_normal(n_g)])
    u = rng.normal(0, 0.8)
    p = 1 / (1 + np.exp(-(Xg @ np.array([-0.3, 1.2]) + u)))
    groups.append((Xg, (rng.uniform(size=n_g) < p).astype(float)))

f = negative_marginal_loglik
KW = dict(wrt="params")
ARGS = ({"beta": np.array([0.0, 0.5]), "log_tau": np.log(0.5)}, groups)
