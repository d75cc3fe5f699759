"""Prototypical networks for few-shot classification (Snell et al. 2017): an embedding MLP
written as a class holding a list of (W, b) layers with a __call__ that applies ReLU between them,
one N-way K-shot episode with the classes found by np.unique of the support labels, prototypes as
class means from boolean masks in a dict comprehension, squared Euclidean distances of query
embeddings to each prototype, and the cross-entropy of softmax(-distance) over the query set;
differentiated w.r.t. the embedding network's layer list."""
import numpy as np


class Embedder:
    def __init__(self, layers):
        self.layers = layers

    def __call__(self, x):
        for i, (W, b) in enumerate(self.layers):
            x = x @ W + b
            if i < len(self.layers) - 1:
                x = np.maximum(x, 0.0)
        return x


def episode_loss(layers, support_x, support_y, query_x, query_y):
    net = Embedder(layers)
    zs, zq = net(support_x), net(query_x)
    classes = np.unique(support_y)
    protos = {c: zs[support_y == c].mean(axis=0) for c in classes}
    dists = np.stack([np.sum((zq - protos[c]) ** 2, axis=1) for c in classes], axis=1)
    logits = -dists
    logits = logits - logits.max(axis=1, keepdims=True)
    log_p = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    target = np.searchsorted(classes, query_y)
    return -np.mean(log_p[np.arange(len(query_y)), target])


rng = np.random.default_rng(2222)
n_way, k_shot, n_query, dim = 4, 3, 5, 10
centers = 2.0 * rng.standard_normal((n_way, dim))
labels = np.array([3, 7, 12, 20])
support_y = np.repeat(labels, k_shot)
query_y = np.repeat(labels, n_query)
support_x = centers[np.repeat(np.arange(n_way), k_shot)] + rng.standard_normal((n_way * k_shot, dim))
query_x = centers[np.repeat(np.arange(n_way), n_query)] + rng.standard_normal((n_way * n_query, dim))
layers = [(0.3 * rng.standard_normal((dim, 16)), 0.1 + np.zeros(16)), (0.3 * rng.standard_normal((16, 8)), np.zeros(8))]
f = episode_loss
ARGS = (layers, support_x, support_y, query_x, query_y)
