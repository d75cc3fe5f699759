"""Point-cloud reconstruction with a Chamfer distance: the predicted points' nearest target
neighbours are found with argmin and gathered by fancy indexing, the reverse direction uses
min over the pairwise squared-distance matrix; a repulsion term spreads the prediction."""
import numpy as np


def pairwise_sq(a, b):
    return (np.sum(a ** 2, axis=1)[:, None] + np.sum(b ** 2, axis=1)[None, :] - 2 * a @ b.T)


def chamfer(pred, target):
    D = pairwise_sq(pred, target)
    nn = np.argmin(D, axis=1)
    forward = np.mean(np.sum((pred - target[nn]) ** 2, axis=1))
    backward = np.mean(D.min(axis=0))
    return forward + backward


def repulsion(pts, h=0.2):
    D = pairwise_sq(pts, pts)
    iu = np.triu_indices(len(pts), k=1)
    return np.mean(np.exp(-D[iu] / h ** 2))


def loss(pred, target, w_rep=0.1):
    return chamfer(pred, target) + w_rep * repulsion(pred)


rng = np.random.default_rng(134)
u = rng.uniform(0, 2 * np.pi, 60)
v = rng.uniform(-1, 1, 60)
target = np.stack([np.cos(u) * np.sqrt(1 - v ** 2), np.sin(u) * np.sqrt(1 - v ** 2), v], axis=1)
f = loss
ARGS = (0.5 * rng.standard_normal((40, 3)), target)
