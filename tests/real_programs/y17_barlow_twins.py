"""Barlow Twins self-supervised objective: two augmented views of a batch pass through a shared
encoder + projector; embeddings are standardised along the batch (mean/std), the cross-correlation
matrix C = z_a^T z_b / N is pushed to the identity -- on-diagonal (1 - C_ii)^2 plus lambda times the
off-diagonal squares, the off-diagonal picked with a boolean mask built from np.eye.  Augmentations
(feature jitter and random masking) are drawn from a seeded Generator inside the loss.
Differentiated w.r.t. the parameter list of (W, b) layers."""
import numpy as np

LAMBDA = 5e-3


def encoder(layers, x):
    h = x
    for i, (W, b) in enumerate(layers):
        h = h @ W + b
        if i < len(layers) - 1:
            h = np.maximum(h, 0.0) + 0.01 * np.minimum(h, 0.0)     # leaky relu
    return h


def standardise(z, eps=1e-6):
    return (z - z.mean(axis=0)) / (z.std(axis=0) + eps)


def augment(x, rng, noise=0.1, drop=0.2):
    keep = rng.random(x.shape) > drop
    return (x + noise * rng.standard_normal(x.shape)) * keep / (1.0 - drop)


def barlow_loss(layers, x, seed=0):
    rng = np.random.default_rng(seed)
    za = standardise(encoder(layers, augment(x, rng)))
    zb = standardise(encoder(layers, augment(x, rng)))
    n, d = za.shape
    c = za.T @ zb / n
    on_diag = np.sum((1.0 - np.diagonal(c)) ** 2)
    off = ~np.eye(d, dtype=bool)
    off_diag = np.sum(c[off] ** 2)
    return on_diag + LAMBDA * off_diag


rng = np.random.default_rng(17)
sizes = [6, 12, 12, 8]
layers = [(rng.standard_normal((a, b)) * np.sqrt(2.0 / a), 0.01 * rng.standard_normal(b)) for a, b in zip(sizes[:-1], sizes[1:])]
f = barlow_loss
ARGS = (layers, rng.standard_normal((32, 6)))
