"""Gradient-boosted soft decision trees: each tree is a dict of depth-2 sigmoid splits and leaf
values, routing probabilities multiply down the tree; the ensemble prediction sums the trees with
a shrinkage factor through a *args helper; squared error on a 1-D regression task."""
import numpy as np
from scipy.special import expit


def soft_tree(tree, X, temperature=0.5):
    p = expit((X @ tree["w"] + tree["b"]) / temperature)          # (N, 3) split probabilities
    root, left, right = p[:, 0], p[:, 1], p[:, 2]
    leaf_prob = np.stack([root * left, root * (1 - left),
                          (1 - root) * right, (1 - root) * (1 - right)], axis=1)
    return leaf_prob @ tree["leaves"]


def ensemble_predict(X, base, *trees, shrinkage=0.3):
    return base + shrinkage * sum(soft_tree(t, X) for t in trees)


def boosted_loss(trees, X, y, base):
    pred = ensemble_predict(X, base, *trees)
    penalty = sum(np.sum(t["leaves"] ** 2) for t in trees)
    return np.mean((pred - y) ** 2) + 1e-3 * penalty


rng = np.random.default_rng(126)
X = rng.uniform(-2, 2, (60, 2))
y = np.sin(X[:, 0]) + 0.5 * (X[:, 1] > 0) + 0.05 * rng.standard_normal(60)
trees = [{"w": rng.standard_normal((2, 3)), "b": 0.5 * rng.standard_normal(3),
          "leaves": 0.5 * rng.standard_normal(4)} for _ in range(5)]

f = boosted_loss
ARGS = (trees, X, y, float(y.mean()))
