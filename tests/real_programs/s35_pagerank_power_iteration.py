"""Learning edge weights so that PageRank matches target importance scores: edge logits on a fixed
edge list scattered into a dense matrix, column-stochastic normalisation, dangling nodes handled
with np.where, power iteration in a while loop with an L1 tolerance, KL divergence to the target."""
import numpy as np


def transition_matrix(edge_logits, src, dst, n):
    A = np.zeros((n, n))
    A[dst, src] = np.exp(edge_logits)
    out_w = A.sum(axis=0)
    dangling = out_w == 0
    P = np.where(dangling[None, :], 1.0 / n, A / np.where(dangling, 1.0, out_w)[None, :])
    return P


def pagerank(P, damping=0.85, tol=1e-10):
    n = P.shape[0]
    r = np.full(n, 1.0 / n)
    err = 1.0
    while err > tol:
        r_new = damping * P @ r + (1 - damping) / n
        err = np.sum(np.abs(r_new - r))
        r = r_new
    return r


def loss(edge_logits, src, dst, target):
    P = transition_matrix(edge_logits, src, dst, len(target))
    r = pagerank(P)
    return np.sum(target * np.log(target / r))


src = np.array([0, 0, 1, 2, 2, 3, 3, 4, 5, 5, 6])
dst = np.array([1, 2, 2, 0, 3, 4, 5, 0, 6, 4, 0])
target = np.array([0.25, 0.1, 0.15, 0.1, 0.15, 0.1, 0.15])  # node 7 absent: n = 7
rng = np.random.default_rng(35)
f = loss
ARGS = (0.3 * rng.standard_normal(len(src)), src, dst, target)
