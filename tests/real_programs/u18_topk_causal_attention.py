"""Tiny causal language model with top-k sparse attention: scores masked with np.triu and -inf,
the k best keys per query picked with np.argsort and np.take_along_axis, softmax over those,
values gathered by fancy indexing, next-token cross-entropy."""
import numpy as np


def softmax(z, axis=-1):
    z = z - np.max(z, axis=axis, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=axis, keepdims=True)


def topk_attention(x, p, topk=3):
    T, d = x.shape
    q, k, v = x @ p["Wq"], x @ p["Wk"], x @ p["Wv"]
    scores = q @ k.T / np.sqrt(k.shape[1])
    mask = np.triu(np.ones((T, T), dtype=bool), k=1)
    scores = np.where(mask, -np.inf, scores)
    idx = np.argsort(-scores, axis=-1)[:, :topk]
    top = np.take_along_axis(scores, idx, axis=-1)
    w = softmax(top, axis=-1)
    return np.einsum("tk,tkd->td", w, v[idx]) @ p["Wo"]


def lm_loss(p, tokens):
    x = p["emb"][tokens[:-1]] + p["pos"][: len(tokens) - 1]
    x = x + topk_attention(x, p)
    logits = x @ p["emb"].T
    logits = logits - logits.max(axis=-1, keepdims=True)
    logp = logits - np.log(np.exp(logits).sum(axis=-1, keepdims=True))
    return -np.mean(logp[np.arange(len(tokens) - 1), tokens[1:]])


rng = np.random.default_rng(618)
V, d, T = 11, 8, 14
tokens = rng.integers(0, V, T)
p = {"emb": 0.5 * rng.standard_normal((V, d)), "pos": 0.1 * rng.standard_normal((T, d)),
     "Wq": 0.4 * rng.standard_normal((d, d)), "Wk": 0.4 * rng.standard_normal((d, d)),
     "Wv": 0.4 * rng.standard_normal((d, d)), "Wo": 0.4 * rng.standard_normal((d, d))}

f = lm_loss
ARGS = (p, tokens)
