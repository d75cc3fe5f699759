"""Gaussian mixture with full covariances, parameterised by the Cholesky factor of each precision
matrix: the factor is filled in with L[np.tril_indices(D, -1)] = ... and the exponentiated
diagonal through np.diag_indices, components looped over with per-component log densities appended
to a list, then a hand-written log-sum-exp over components."""
import numpy as np


def precision_factors(params, K, D):
    tril = np.tril_indices(D, -1)
    Ls = []
    for k in range(K):
        L = np.zeros((D, D))
        L[tril] = params["offdiag"][k]
        L[np.diag_indices(D)] = np.exp(params["log_diag"][k])
        Ls.append(L)
    return Ls


def gmm_nll(params, X):
    K, D = params["means"].shape
    Ls = precision_factors(params, K, D)
    logits = params["logits"]
    log_w = logits - np.log(np.sum(np.exp(logits)))
    comp = []
    for k in range(K):
        z = (X - params["means"][k]) @ Ls[k]
        half_logdet = np.sum(params["log_diag"][k])
        comp.append(log_w[k] + half_logdet - 0.5 * np.sum(z ** 2, axis=1) - 0.5 * D * np.log(2 * np.pi))
    comp = np.stack(comp, axis=1)
    m = comp.max(axis=1, keepdims=True)
    ll = m[:, 0] + np.log(np.exp(comp - m).sum(axis=1))
    return -ll.mean()


rng = np.random.default_rng(717)
X = np.concatenate([rng.multivariate_normal([0, 0, 0], [[1, .5, 0], [.5, 1, .2], [0, .2, .5]], 40),
                    rng.multivariate_normal([3, 1, -1], [[.5, 0, 0], [0, 2, .8], [0, .8, 1]], 40)])
params = {
    "logits": np.array([0.1, -0.1]),
    "means": np.array([[0.2, -0.1, 0.1], [2.5, 1.2, -0.8]]),
    "log_diag": 0.1 * rng.standard_normal((2, 3)),
    "offdiag": 0.2 * rng.standard_normal((2, 3)),
}
f = gmm_nll
ARGS = (params, X)
