"""Metric learning: an embedding network, the pairwise distance matrix, batch-hard triplet mining
(hardest positive by masked max, hardest negative by masked min with +inf on non-negatives), a
soft-margin triplet loss."""
import numpy as np

def embed(W1, W2, X):
    e = np.maximum(X @ W1, 0) @ W2
    return e / np.linalg.norm(e, axis=1, keepdims=True)

def pairwise_dist(E):
    sq = np.sum(E ** 2, axis=1)
    d2 = sq[:, None] + sq[None, :] - 2 * E @ E.T
    return np.sqrt(np.maximum(d2, 1e-12))

def batch_hard_triplet(W1, W2, X, labels):
    E = embed(W1, W2, X)
    Dm = pairwise_dist(E)
    same = labels[:, None] == labels[None, :]
    eye = np.eye(len(labels), dtype=bool)
    pos_mask = same & ~eye
    hardest_pos = np.max(np.where(pos_mask, Dm, 0.0), axis=1)
    hardest_neg = np.min(np.where(same, np.inf, Dm), axis=1)
    return np.mean(np.log1p(np.exp(hardest_pos - hardest_neg)))

rng = np.random.default_rng(37)
labels = np.repeat(np.arange(4), 3)
X = rng.standard_normal((12, 5)) + labels[:, None] * 0.3
f = batch_hard_triplet
KW = dict(wrt=("W1", "W2"))
ARGS = (rng.standard_normal((5, 8)) * 0.5, rng.standard_normal((8, 3)) * 0.5, X, labels)
