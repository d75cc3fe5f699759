"""RankNet with LambdaRank-style |delta NDCG| weights for a learning-to-rank data set grouped by
query: the queries are a dict id -> (features, relevance), visited in sorted order; a small MLP
scores documents, the pairs with different relevance come from np.triu_indices and a mask, the
rank positions from a double argsort of the scores, and the pairwise loss is log(1 + exp(-s_ij)).
Differentiated w.r.t. the MLP's weights."""
import numpy as np


def score(W1, b1, w2, X):
    return np.tanh(X @ W1 + b1) @ w2


def dcg_discount(ranks):
    return 1.0 / np.log2(ranks + 2.0)


def query_loss(s, rel):
    n = len(s)
    i, j = np.triu_indices(n, 1)
    keep = rel[i] != rel[j]
    i, j = i[keep], j[keep]
    sign = np.where(rel[i] > rel[j], 1.0, -1.0)
    ranks = np.argsort(np.argsort(-s))
    gain = 2.0 ** rel - 1.0
    disc = dcg_discount(ranks)
    ideal = np.sum(np.sort(gain)[::-1] * dcg_discount(np.arange(n)))
    delta = np.abs((gain[i] - gain[j]) * (disc[i] - disc[j])) / ideal
    return np.sum(delta * np.logaddexp(0.0, -sign * (s[i] - s[j])))


def ranknet_loss(W1, b1, w2, queries):
    total, count = 0.0, 0
    for qid in sorted(queries):
        X, rel = queries[qid]
        total += query_loss(score(W1, b1, w2, X), rel)
        count += 1
    return total / count + 1e-3 * np.sum(W1 ** 2)


rng = np.random.default_rng(16)
D, H = 5, 8
w_true = rng.standard_normal(D)
queries = {}
for q in (17, 3, 42, 8):
    X = rng.standard_normal((int(rng.integers(5, 9)), D))
    rel = np.clip(np.round(X @ w_true + 0.5 * rng.standard_normal(len(X)) + 1.0), 0, 3)
    queries[q] = (X, rel)
f = ranknet_loss
ARGS = (rng.standard_normal((D, H)) / np.sqrt(D), np.zeros(H), rng.standard_normal(H) / np.sqrt(H), queries)
KW = {"wrt": ("W1", "b1", "w2")}
