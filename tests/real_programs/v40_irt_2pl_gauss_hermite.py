"""Marginal maximum likelihood for the two-parameter logistic IRT model: the ability integrated out
with Gauss-Hermite quadrature (np.polynomial.hermite.hermgauss inside the function, nodes scaled by
sqrt 2), log P and log(1 - P) with np.logaddexp, the per-person log-likelihood at each node by a
matrix product of the 0/1 response matrix, and a log-sum-exp against the quadrature weights."""
import numpy as np


def marginal_nll(item_params, responses, n_quad=21):
    nodes, weights = np.polynomial.hermite.hermgauss(n_quad)
    theta = np.sqrt(2.0) * nodes
    log_w = np.log(weights / np.sqrt(np.pi))
    a = np.exp(item_params[:, 0])
    b = item_params[:, 1]
    logits = a[None, :] * (theta[:, None] - b[None, :])
    log_p = -np.logaddexp(0.0, -logits)
    log_q = -np.logaddexp(0.0, logits)
    ll = responses @ log_p.T + (1 - responses) @ log_q.T
    ll = ll + log_w[None, :]
    m = ll.max(axis=1, keepdims=True)
    return -np.sum(m[:, 0] + np.log(np.exp(ll - m).sum(axis=1)))


rng = np.random.default_rng(740)
n_people, n_items = 50, 6
a_true = np.exp(rng.normal(0.0, 0.3, n_items))
b_true = rng.normal(0.0, 1.0, n_items)
ability = rng.standard_normal(n_people)
p = 1 / (1 + np.exp(-a_true * (ability[:, None] - b_true)))
responses = (rng.random((n_people, n_items)) < p).astype(float)
f = marginal_nll
ARGS = (np.column_stack([np.zeros(n_items), np.zeros(n_items) + 0.1 * rng.standard_normal(n_items)]), responses)
