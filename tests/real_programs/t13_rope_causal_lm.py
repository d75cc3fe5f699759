"""One-layer decoder-only language model: token embeddings, rotary position embeddings applied to
queries and keys (cos/sin of position times inverse frequencies, rotate-half), causal mask from
np.triu set to -inf, multi-head attention, and a label-smoothed next-token cross-entropy."""
import numpy as np


def rope(x, base=10000.0):
    T, H, D = x.shape
    inv_freq = 1.0 / base ** (np.arange(0, D, 2) / D)
    ang = np.arange(T)[:, None] * inv_freq[None, :]
    cos = np.concatenate([np.cos(ang), np.cos(ang)], axis=-1)[:, None, :]
    sin = np.concatenate([np.sin(ang), np.sin(ang)], axis=-1)[:, None, :]
    x1, x2 = x[..., :D // 2], x[..., D // 2:]
    rotated = np.concatenate([-x2, x1], axis=-1)
    return x * cos + rotated * sin


def softmax(x, axis=-1):
    x = x - x.max(axis=axis, keepdims=True)
    e = np.exp(x)
    return e / e.sum(axis=axis, keepdims=True)


def attention(h, p, n_heads):
    T, d = h.shape
    hd = d // n_heads
    q = (h @ p["Wq"]).reshape(T, n_heads, hd)
    k = (h @ p["Wk"]).reshape(T, n_heads, hd)
    v = (h @ p["Wv"]).reshape(T, n_heads, hd)
    q, k = rope(q), rope(k)
    scores = np.einsum("thd,shd->hts", q, k) / np.sqrt(hd)
    mask = np.triu(np.ones((T, T), dtype=bool), k=1)
    scores[:, mask] = -np.inf
    att = softmax(scores, axis=-1)
    out = np.einsum("hts,shd->thd", att, v).reshape(T, d)
    return out @ p["Wo"]


def lm_loss(p, tokens, n_heads=2, smoothing=0.1):
    h = p["emb"][tokens[:-1]]
    h = h + attention(h, p, n_heads)
    logits = h @ p["emb"].T
    V = logits.shape[-1]
    logp = logits - logits.max(axis=-1, keepdims=True)
    logp = logp - np.log(np.exp(logp).sum(axis=-1, keepdims=True))
    targets = np.full((len(tokens) - 1, V), smoothing / V)
    targets[np.arange(len(tokens) - 1), tokens[1:]] += 1.0 - smoothing
    return -np.mean(np.sum(targets * logp, axis=-1))


rng = np.random.default_rng(513)
V, d = 11, 8
p = {"emb": 0.5 * rng.standard_normal((V, d)),
     "Wq": rng.standard_normal((d, d)) / np.sqrt(d), "Wk": rng.standard_normal((d, d)) / np.sqrt(d),
     "Wv": rng.standard_normal((d, d)) / np.sqrt(d), "Wo": rng.standard_normal((d, d)) / np.sqrt(d)}
tokens = rng.integers(0, V, size=10)

f = lm_loss
ARGS = (p, tokens)
