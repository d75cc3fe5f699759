"""Deep Sets regression on padded variable-size point sets: a per-element MLP phi, padded rows
zeroed by a boolean-mask write into the hidden array (h[~mask] = 0.0), sum and mean pooling over
the valid elements, then an MLP rho predicting two set statistics.  The layers are a list of
(W, b) tuples walked with zip over activations; Huber loss w.r.t. the layer list."""
import numpy as np


def mlp(h, layers, acts):
    for (W, b), act in zip(layers, acts):
        h = h @ W + b
        if act is not None:
            h = act(h)
    return h


def huber(r, delta=0.5):
    a = np.abs(r)
    return np.where(a < delta, 0.5 * r ** 2, delta * (a - 0.5 * delta))


def set_loss(layers, X, mask, targets):
    phi, rho = layers[:2], layers[2:]
    relu = lambda z: np.maximum(z, 0.0)
    h = mlp(X, phi, [relu, np.tanh])               # (B, Nmax, H)
    h[~mask] = 0.0
    count = mask.sum(axis=1, keepdims=True)
    pooled = np.concatenate([h.sum(axis=1), h.sum(axis=1) / count], axis=1)
    pred = mlp(pooled, rho, [relu, None])
    return np.mean(huber(pred - targets))


rng = np.random.default_rng(27)
Bsz, Nmax, d, H = 10, 7, 2, 8
sizes = rng.integers(2, Nmax + 1, Bsz)
mask = np.arange(Nmax)[None, :] < sizes[:, None]
X = rng.standard_normal((Bsz, Nmax, d))
X[~mask] = 99.0                                     # padding garbage the mask must remove
targets = np.stack([np.array([np.sum(X[b, :sizes[b]] ** 2), np.max(X[b, :sizes[b], 0])]) for b in range(Bsz)])
layers = [(rng.standard_normal((d, H)) / np.sqrt(d), np.zeros(H)), (rng.standard_normal((H, H)) / np.sqrt(H), np.zeros(H)),
          (rng.standard_normal((2 * H, H)) / np.sqrt(2 * H), np.zeros(H)), (rng.standard_normal((H, 2)) / np.sqrt(H), np.zeros(2))]
f = set_loss
ARGS = (layers, X, mask, targets)
