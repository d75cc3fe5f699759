"""LambdaRank-style surrogate for learning to rank: for each query, documents are scored by a
linear model, the ideal DCG is computed from the labels sorted in descending order, and every pair
(i, j) with label_i > label_j (itertools.combinations over positions) contributes
|delta NDCG_ij| * log(1 + exp(-sigma (s_i - s_j))), where delta NDCG uses the current rank
positions from a double argsort.  Queries are a dict of name -> (features, labels).
Differentiated w.r.t. the weight vector."""
import itertools
import math

import numpy as np

SIGMA = 1.0


def dcg_gain(labels):
    return (2.0 ** labels - 1.0)


def ideal_dcg(labels, k=None):
    g = np.sort(dcg_gain(labels))[::-1][:k]
    return float(np.sum(g / np.log2(np.arange(2, len(g) + 2))))


def query_loss(w, X, labels):
    s = X @ w
    ranks = np.argsort(np.argsort(-s))                   # 0-based rank of each document
    disc = 1.0 / np.log2(ranks + 2.0)
    gain = dcg_gain(labels)
    idcg = ideal_dcg(labels)
    if idcg == 0.0:
        return 0.0
    total = 0.0
    for i, j in itertools.combinations(range(len(labels)), 2):
        if labels[i] == labels[j]:
            continue
        hi, lo = (i, j) if labels[i] > labels[j] else (j, i)
        delta = abs((gain[hi] - gain[lo]) * (disc[hi] - disc[lo])) / idcg
        total += delta * np.logaddexp(0.0, -SIGMA * (s[hi] - s[lo]))
    return total


def loss(w, queries, l2=1e-2):
    per_query = [query_loss(w, X, y) for X, y in queries.values()]
    return math.fsum(per_query) / len(per_query) + l2 * w @ w


rng = np.random.default_rng(18)
w_true = rng.standard_normal(4)
queries = {}
for q in range(3):
    X = rng.standard_normal((7, 4))
    rel = X @ w_true + 0.5 * rng.standard_normal(7)
    queries[f"q{q:03d}"] = (X, np.digitize(rel, [-1.0, 0.0, 1.0]).astype(float))
f = loss
ARGS = (0.1 * rng.standard_normal(4), queries)
