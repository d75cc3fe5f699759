"""Soft edit distance between two sequences of embeddings (soft substitution cost by a sigmoid of
distance, learnable insertion/deletion costs), dynamic programming table with row 0 and column 0
filled by np.arange * cost then D[i, j] = softmin(...)."""
import numpy as np


def softmin(vals, tau):
    v = np.array(vals)
    m = v.min()
    return m - tau * np.log(np.sum(np.exp(-(v - m) / tau)))


def soft_edit(a, b, costs, tau=0.2):
    ins, dele = costs[0], costs[1]
    n, m = len(a), len(b)
    D = np.zeros((n + 1, m + 1))
    D[:, 0] = np.arange(n + 1) * dele
    D[0, :] = np.arange(m + 1) * ins
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            d = np.sum((a[i - 1] - b[j - 1]) ** 2)
            sub = 1.0 / (1.0 + np.exp(-4.0 * (d - 0.5)))
            D[i, j] = softmin([D[i - 1, j] + dele, D[i, j - 1] + ins, D[i - 1, j - 1] + sub], tau)
    return D[n, m]


def loss(costs, pairs, targets):
    r = 0.0
    for (a, b), t in zip(pairs, targets):
        r += (soft_edit(a, b, costs) - t) ** 2
    return r


rng = np.random.default_rng(15)
pairs = [(rng.standard_normal((4, 2)), rng.standard_normal((5, 2))) for _ in range(3)]
f = loss
ARGS = (np.array([0.8, 1.1]), pairs, [2.0, 3.0, 2.5])
