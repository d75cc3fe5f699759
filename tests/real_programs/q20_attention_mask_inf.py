"""Cross-attention over padded key sequences: a padding mask from lengths, -inf scores for pads,
softmax with max subtraction, masked mean pooling of the queries."""
import numpy as np

def masked_softmax(scores, mask):
    scores = np.where(mask, scores, -np.inf)
    m = np.max(scores, axis=-1, keepdims=True)
    e = np.exp(scores - m)
    return e / np.sum(e, axis=-1, keepdims=True)

def cross_attention_loss(Wq, Wk, Wv, queries, keys, key_lengths, targets):
    B, Tk, _ = keys.shape
    q = queries @ Wq                              # (B, Tq, d)
    k = keys @ Wk                                 # (B, Tk, d)
    v = keys @ Wv
    d = q.shape[-1]
    scores = q @ np.swapaxes(k, 1, 2) / np.sqrt(d)   # (B, Tq, Tk)
    key_mask = np.arange(Tk)[None, :] < key_lengths[:, None]   # (B, Tk)
    attn = masked_softmax(scores, key_mask[:, None, :])
    ctx = attn @ v                                # (B, Tq, d)
    pooled = ctx.mean(axis=1)
    return np.mean(np.sum((pooled - targets) ** 2, axis=-1))

rng = np.random.default_rng(20)
B, Tq, Tk, Din, d = 3, 4, 6, 5, 4
f = cross_attention_loss
KW = dict(wrt=("Wq", "Wk", "Wv"))
ARGS = (rng.standard_normal((Din, d)) * 0.5, rng.standard_normal((Din, d)) * 0.5, rng.standard_normal((Din, d)) * 0.5,
        rng.standard_normal((B, Tq, Din)), rng.standard_normal((B, Tk, Din)), np.array([6, 3, 1]),
        rng.standard_normal((B, d)))
