"""Neural collaborative filtering (He et al. 2017, NeuMF): separate GMF and MLP embedding tables in
a nested dict, an MLP tower as a list of layer dicts, the two branches concatenated; binary
cross-entropy written with np.logaddexp on observed (user, item) pairs and sampled negatives (users
repeated with np.repeat), plus L2 on the embedding rows used."""
import numpy as np


def neumf_scores(params, users, items):
    gu, gi = params["gmf"]["user"][users], params["gmf"]["item"][items]
    h = np.concatenate([params["mlp"]["user"][users], params["mlp"]["item"][items]], axis=1)
    for layer in params["mlp"]["layers"]:
        h = np.maximum(h @ layer["W"] + layer["b"], 0.0)
    z = np.concatenate([gu * gi, h], axis=1)
    return z @ params["out"]


def bce_with_negatives(params, users, pos_items, neg_items, l2=1e-4):
    n_neg = neg_items.shape[1]
    s_pos = neumf_scores(params, users, pos_items)
    s_neg = neumf_scores(params, np.repeat(users, n_neg), neg_items.ravel())
    loss = np.mean(np.logaddexp(0.0, -s_pos)) + n_neg * np.mean(np.logaddexp(0.0, s_neg))
    used = [params["gmf"]["user"][users], params["gmf"]["item"][pos_items],
            params["mlp"]["user"][users], params["mlp"]["item"][pos_items]]
    return loss + l2 * sum(np.sum(e ** 2) for e in used)


rng = np.random.default_rng(718)
n_users, n_items, k, k_mlp = 12, 20, 4, 4
params = {
    "gmf": {"user": 0.3 * rng.standard_normal((n_users, k)), "item": 0.3 * rng.standard_normal((n_items, k))},
    "mlp": {"user": 0.3 * rng.standard_normal((n_users, k_mlp)), "item": 0.3 * rng.standard_normal((n_items, k_mlp)),
            "layers": [{"W": rng.standard_normal((2 * k_mlp, 8)) / 3, "b": 0.1 * np.ones(8)},
                       {"W": rng.standard_normal((8, 4)) / 3, "b": 0.1 * np.ones(4)}]},
    "out": rng.standard_normal(k + 4) / 3,
}
users = rng.integers(0, n_users, 16)
pos_items = rng.integers(0, n_items, 16)
neg_items = rng.integers(0, n_items, (16, 3))
f = bce_with_negatives
ARGS = (params, users, pos_items, neg_items)
