"""Dirichlet regression of compositional data (e.g. sediment sand/silt/clay fractions) in the
mean-precision parametrisation: mean from scipy.special.softmax of a linear predictor, precision
from a log-linear model, likelihood with scipy.special.gammaln."""
import numpy as np
from scipy.special import gammaln, softmax


def dirichlet_nll(params, X, Y):
    mean = softmax(X @ params["B"], axis=1)
    phi = np.exp(X @ params["gamma"])
    alpha = mean * phi[:, None]
    ll = gammaln(alpha.sum(axis=1)) - gammaln(alpha).sum(axis=1) + ((alpha - 1) * np.log(Y)).sum(axis=1)
    return -ll.mean()


rng = np.random.default_rng(607)
n, p, K = 60, 3, 3
X = np.column_stack([np.ones(n), rng.standard_normal((n, p - 1))])
B_true = np.array([[0.0, 0.5, -0.3], [0.0, 0.8, 0.1], [0.0, -0.4, 0.6]])
alpha_true = softmax(X @ B_true, axis=1) * 20
Y = np.array([rng.dirichlet(a) for a in alpha_true])
params = {"B": 0.1 * rng.standard_normal((p, K)), "gamma": np.array([2.0, 0.1, -0.1])}

f = dirichlet_nll
ARGS = (params, X, Y)
