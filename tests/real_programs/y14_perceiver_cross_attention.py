"""Perceiver-style encoder: a small set of learned latent vectors cross-attends to a long input
array (multi-head, heads split with reshape/transpose, scores with einsum using '...' ellipsis),
followed by one latent self-attention block with a pre-norm residual MLP.  The class token is the
mean latent; the loss is softmax cross-entropy over a batch of sequences, differentiated w.r.t.
the parameter dict."""
import numpy as np

N_HEADS = 2


def softmax(z, axis=-1):
    z = z - z.max(axis=axis, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=axis, keepdims=True)


def rms_norm(x, g, eps=1e-6):
    return x * g / np.sqrt(np.mean(x ** 2, axis=-1, keepdims=True) + eps)


def split_heads(x):
    *lead, n, d = x.shape
    return x.reshape(*lead, n, N_HEADS, d // N_HEADS).swapaxes(-2, -3)   # (..., H, n, dh)


def merge_heads(x):
    *lead, h, n, dh = x.shape
    return x.swapaxes(-2, -3).reshape(*lead, n, h * dh)


def attention(q_in, kv_in, Wq, Wk, Wv, Wo):
    q, k, v = split_heads(q_in @ Wq), split_heads(kv_in @ Wk), split_heads(kv_in @ Wv)
    scale = 1.0 / np.sqrt(q.shape[-1])
    scores = np.einsum("...qd,...kd->...qk", q, k) * scale
    out = np.einsum("...qk,...kd->...qd", softmax(scores), v)
    return merge_heads(out) @ Wo


def encode(p, x):
    B = x.shape[0]
    lat = np.broadcast_to(p["latents"], (B,) + p["latents"].shape)
    lat = lat + attention(rms_norm(lat, p["g1"]), x @ p["W_in"], p["Wq"], p["Wk"], p["Wv"], p["Wo"])
    h = rms_norm(lat, p["g2"])
    lat = lat + attention(h, h, p["Sq"], p["Sk"], p["Sv"], p["So"])
    h = rms_norm(lat, p["g3"])
    lat = lat + np.maximum(h @ p["M1"], 0.0) @ p["M2"]
    return lat.mean(axis=1)


def loss(p, x, labels):
    logits = encode(p, x) @ p["W_cls"]
    logz = np.log(np.sum(np.exp(logits - logits.max(axis=1, keepdims=True)), axis=1)) + logits.max(axis=1)
    return np.mean(logz - logits[np.arange(len(labels)), labels])


rng = np.random.default_rng(14)
B, N, Din, D, L, C = 3, 12, 5, 8, 4, 3
r = lambda *s: rng.standard_normal(s) / np.sqrt(s[0])
p = {"latents": rng.standard_normal((L, D)), "W_in": r(Din, D), "g1": np.ones(D), "g2": np.ones(D), "g3": np.ones(D),
     "Wq": r(D, D), "Wk": r(D, D), "Wv": r(D, D), "Wo": r(D, D), "Sq": r(D, D), "Sk": r(D, D), "Sv": r(D, D),
     "So": r(D, D), "M1": r(D, 2 * D), "M2": r(2 * D, D), "W_cls": r(D, C)}
f = loss
ARGS = (p, rng.standard_normal((B, N, Din)), np.array([0, 2, 1]))
