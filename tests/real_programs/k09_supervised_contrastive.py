"""Supervised contrastive loss (Khosla et al. 2020) on a projection head: embeddings from a
linear+ReLU+linear head, L2-normalised with np.linalg.norm(keepdims=True), a temperature-scaled
similarity matrix, self-similarity removed with a big negative on the diagonal (np.fill_diagonal on a
copy), log-softmax over rows by hand, the positives mask from label equality (labels[:, None] ==
labels[None, :]) minus the identity, and the mean log-probability over positives per anchor.
Differentiated w.r.t. the head's parameter dict."""
import numpy as np


def project(p, x):
    h = np.maximum(x @ p["W1"] + p["b1"], 0.0)
    z = h @ p["W2"]
    return z / np.linalg.norm(z, axis=1, keepdims=True)


def supcon(p, x, labels, tau=0.2):
    z = project(p, x)
    n = len(labels)
    logits = z @ z.T / tau
    logits = logits.copy()
    np.fill_diagonal(logits, -1e9)
    logits = logits - logits.max(axis=1, keepdims=True)
    log_prob = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    pos = (labels[:, None] == labels[None, :]).astype(float) - np.eye(n)
    n_pos = pos.sum(axis=1)
    mean_log_pos = (pos * log_prob).sum(axis=1) / np.maximum(n_pos, 1.0)
    return -np.mean(mean_log_pos[n_pos > 0])


rng = np.random.default_rng(9)
labels = np.repeat(np.arange(4), 6)
x = rng.standard_normal((4, 10))[labels] + 0.5 * rng.standard_normal((24, 10))
p = {"W1": 0.3 * rng.standard_normal((10, 16)), "b1": 0.1 * np.ones(16), "W2": 0.3 * rng.standard_normal((16, 8))}
f = supcon
ARGS = (p, x, labels)
