"""ArcFace additive angular margin loss for face-embedding training: features and class centres
L2-normalised, cos(theta) clipped away from +-1, theta from np.arccos, margin added only on the
target class through a one-hot mask, scaled logits and cross-entropy; embeddings from a small
linear-tanh network."""
import numpy as np


def l2_normalize(x, axis=1, eps=1e-12):
    return x / np.sqrt(np.sum(x * x, axis=axis, keepdims=True) + eps)


def arcface_logits(emb, centers, labels, s=16.0, m=0.3):
    cos = l2_normalize(emb) @ l2_normalize(centers).T
    cos = np.clip(cos, -1 + 1e-7, 1 - 1e-7)
    theta = np.arccos(cos)
    onehot = np.zeros_like(cos)
    onehot[np.arange(len(labels)), labels] = 1.0
    return s * np.cos(theta + m * onehot)


def loss(model, X, labels):
    emb = np.tanh(X @ model["W"] + model["b"]) @ model["P"]
    logits = arcface_logits(emb, model["centers"], labels)
    logits = logits - logits.max(axis=1, keepdims=True)
    logp = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    return -np.mean(np.sum(logp * (np.arange(logits.shape[1]) == labels[:, None]), axis=1))


rng = np.random.default_rng(24)
n, d, h, e, C = 24, 6, 8, 4, 5
X = rng.standard_normal((n, d))
labels = rng.integers(0, C, n)
model = {"W": 0.4 * rng.standard_normal((d, h)), "b": np.zeros(h), "P": 0.4 * rng.standard_normal((h, e)),
         "centers": rng.standard_normal((C, e))}
f = loss
KW = dict(wrt="model")
ARGS = (model, X, labels)
