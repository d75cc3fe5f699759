"""Bayesian personalised ranking for implicit feedback: user and item embeddings plus item biases,
(user, positive, negative) triples sampled once with a fixed generator, log-sigmoid of the score
difference via np.logaddexp, and per-row L2 regularisation on the rows actually used."""
import numpy as np


def score(U, V, bias, users, items):
    return np.sum(U[users] * V[items], axis=1) + bias[items]


def bpr_loss(model, triples, reg=0.01):
    U, V, bias = model["user"], model["item"], model["item_bias"]
    u, i, j = triples[:, 0], triples[:, 1], triples[:, 2]
    x_uij = score(U, V, bias, u, i) - score(U, V, bias, u, j)
    log_sig = -np.logaddexp(0.0, -x_uij)
    l2 = (np.sum(U[u] ** 2) + np.sum(V[i] ** 2) + np.sum(V[j] ** 2) + np.sum(bias[j] ** 2)) / len(u)
    return -np.mean(log_sig) + reg * l2


rng = np.random.default_rng(11)
n_users, n_items, k = 12, 20, 4
interactions = {u: rng.choice(n_items, size=5, replace=False) for u in range(n_users)}
rows = []
for u, pos in interactions.items():
    for i in pos:
        j = rng.integers(n_items)
        while j in pos:
            j = rng.integers(n_items)
        rows.append((u, i, j))
triples = np.array(rows)
model = {"user": 0.1 * rng.standard_normal((n_users, k)),
         "item": 0.1 * rng.standard_normal((n_items, k)),
         "item_bias": np.zeros(n_items) + 0.01 * rng.standard_normal(n_items)}

f = bpr_loss
KW = dict(wrt="model")
ARGS = (model, triples)
