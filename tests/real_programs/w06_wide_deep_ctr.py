"""Wide & Deep click-through model: categorical fields looked up in per-field embedding tables
(a dict of arrays, integer-array indexing), a hashed cross-feature for the wide part (np.take on a
weight vector), the embeddings concatenated with dense features into an MLP kept as a list of
(W, b) tuples; binary cross-entropy with logaddexp, an L2 term over params.items()."""
import numpy as np

FIELDS = ["user", "item", "site"]


def embed(tables, cats):
    vecs = [tables[name][cats[:, k]] for k, name in enumerate(FIELDS)]
    return np.concatenate(vecs, axis=1)


def deep_tower(layers, h):
    for i, (W, b) in enumerate(layers):
        h = h @ W + b
        if i < len(layers) - 1:
            h = h * (1.0 / (1.0 + np.exp(-1.702 * h)))  # GELU approximation
    return h[:, 0]


def wide_part(w_wide, cats, n_buckets):
    cross = (cats[:, 0] * 31 + cats[:, 1] * 17 + cats[:, 2]) % n_buckets
    return np.take(w_wide, cross)


def ctr_loss(params, cats, dense, clicks, l2=1e-3):
    h = np.concatenate([embed(params["emb"], cats), dense], axis=1)
    logits = deep_tower(params["mlp"], h) + wide_part(params["wide"], cats, params["wide"].shape[0]) + params["bias"]
    nll = np.mean(np.logaddexp(0.0, logits) - clicks * logits)
    reg = 0.0
    for name, table in params["emb"].items():
        reg = reg + np.sum(table ** 2)
    return nll + l2 * reg


rng = np.random.default_rng(2006)
sizes = {"user": 20, "item": 15, "site": 5}
dim, n = 4, 64
params = {
    "emb": {k: 0.1 * rng.standard_normal((v, dim)) for k, v in sizes.items()},
    "mlp": [(0.3 * rng.standard_normal((3 * dim + 2, 16)), np.zeros(16) + 0.01),
            (0.3 * rng.standard_normal((16, 8)), np.zeros(8)),
            (0.3 * rng.standard_normal((8, 1)), np.zeros(1))],
    "wide": 0.05 * rng.standard_normal(32),
    "bias": -1.0,
}
cats = np.stack([rng.integers(0, sizes[k], n) for k in FIELDS], axis=1)
dense = rng.standard_normal((n, 2))
clicks = (rng.random(n) < 0.3).astype(float)
f = ctr_loss
ARGS = (params, cats, dense, clicks)
