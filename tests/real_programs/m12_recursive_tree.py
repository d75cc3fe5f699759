"""A recursive neural network over a fixed binary parse tree given as nested tuples of leaf
indices: compose(node) recurses into children (bounded depth, the tree is data), combining child
vectors with one shared weight matrix; a score vector reads the root."""
import numpy as np


def compose_node(node, emb, W, b):
    if isinstance(node, int):
        return emb[node]
    left, right = node
    hl = compose_node(left, emb, W, b)
    hr = compose_node(right, emb, W, b)
    return np.tanh(W @ np.concatenate([hl, hr]) + b)


def tree_loss(W, b, u, emb, trees, labels):
    total = 0.0
    for tree, label in zip(trees, labels):
        h = compose_node(tree, emb, W, b)
        s = u @ h
        total = total + np.logaddexp(0.0, s) - label * s
    return total / len(trees)


rng = np.random.default_rng(12)
D = 4
emb = rng.standard_normal((6, D))
W = 0.5 * rng.standard_normal((D, 2 * D))
b = np.zeros(D)
u = rng.standard_normal(D)
trees = [((0, 1), (2, (3, 4))), (5, (0, 2)), (((1, 2), 3), 4)]
labels = [1.0, 0.0, 1.0]

f = tree_loss
ARGS = (W, b, u, emb, trees, labels)
KW = {"wrt": ("W", "b", "u")}
