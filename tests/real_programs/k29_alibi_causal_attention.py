"""Causal multi-head self-attention with ALiBi positional biases (Press et al. 2022): per-head
slopes 2^(-8 h / n_heads) as a geometric sequence, a relative-distance matrix from np.arange
broadcasting, the causal mask from np.triu(..., k=1) filled with -np.inf via np.where, heads created
by reshape/transpose, a stable softmax, output projection, a residual connection and a pre-norm
RMSNorm; next-token regression loss on a toy sequence.  Differentiated w.r.t. the weight dict."""
import numpy as np

T, D, NH = 10, 8, 4
HD = D // NH


def alibi_slopes(n_heads):
    start = 2.0 ** (-8.0 / n_heads)
    return np.array([start ** (i + 1) for i in range(n_heads)])


def rms_norm(x, g, eps=1e-6):
    return g * x / np.sqrt(np.mean(x ** 2, axis=-1, keepdims=True) + eps)


def attention(w, x):
    h = rms_norm(x, w["g"])
    q, k, v = (h @ w[name] for name in ("Wq", "Wk", "Wv"))
    split = lambda a: a.reshape(T, NH, HD).transpose(1, 0, 2)
    q, k, v = split(q), split(k), split(v)
    pos = np.arange(T)
    rel = pos[None, :] - pos[:, None]
    bias = alibi_slopes(NH)[:, None, None] * rel[None]
    scores = q @ k.transpose(0, 2, 1) / np.sqrt(HD) + bias
    mask = np.triu(np.ones((T, T), dtype=bool), k=1)
    scores = np.where(mask, -np.inf, scores)
    scores = scores - scores.max(axis=-1, keepdims=True)
    att = np.exp(scores)
    att = att / att.sum(axis=-1, keepdims=True)
    out = (att @ v).transpose(1, 0, 2).reshape(T, D)
    return x + out @ w["Wo"]


def next_step_loss(w, x):
    y = attention(w, x)
    return np.mean((y[:-1] @ w["head"] - x[1:]) ** 2)


rng = np.random.default_rng(29)
x = np.cumsum(0.3 * rng.standard_normal((T, D)), axis=0)
w = {name: rng.standard_normal((D, D)) / np.sqrt(D) for name in ("Wq", "Wk", "Wv", "Wo", "head")}
w["g"] = np.ones(D)
f = next_step_loss
ARGS = (w, x)
