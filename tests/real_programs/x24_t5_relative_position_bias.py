"""Causal self-attention with T5-style bucketed relative position bias: relative distances are
mapped to buckets (exact buckets for small distances, logarithmically spaced ones up to a max
distance, via np.log of the integer distances under np.errstate and np.minimum), a learned bias
table is gathered by bucket index into a (heads, T, T) tensor, the causal mask adds -inf above the
diagonal (np.triu with k=1), softmax over keys, multi-head projection with einsum; next-step
regression loss, differentiated w.r.t. the weight dict including the bias table."""
import numpy as np


def relative_position_bucket(rel, num_buckets=8, max_distance=20):
    n = np.maximum(-rel, 0)
    max_exact = num_buckets // 2
    is_small = n < max_exact
    with np.errstate(divide="ignore"):
        large = max_exact + (np.log(n / max_exact) / np.log(max_distance / max_exact) * (num_buckets - max_exact)).astype(int)
    large = np.minimum(large, num_buckets - 1)
    return np.where(is_small, n, large)


def attention(params, x, n_heads=2):
    T, d = x.shape
    dh = d // n_heads
    q = np.einsum("td,hde->hte", x, params["Wq"].reshape(d, n_heads, dh).transpose(1, 0, 2))
    k = np.einsum("td,hde->hte", x, params["Wk"].reshape(d, n_heads, dh).transpose(1, 0, 2))
    v = np.einsum("td,hde->hte", x, params["Wv"].reshape(d, n_heads, dh).transpose(1, 0, 2))
    pos = np.arange(T)
    buckets = relative_position_bucket(pos[None, :] - pos[:, None])
    bias = params["rel_bias"][:, buckets]  # (heads, T, T)
    mask = np.triu(np.full((T, T), -np.inf), k=1)
    scores = np.einsum("hqe,hke->hqk", q, k) + bias + mask
    scores = scores - scores.max(axis=-1, keepdims=True)
    w = np.exp(scores)
    w = w / w.sum(axis=-1, keepdims=True)
    out = np.einsum("hqk,hke->qhe", w, v).reshape(T, d)
    return out @ params["Wo"]


def next_step_loss(params, x, y):
    return np.mean((attention(params, x) - y) ** 2)


rng = np.random.default_rng(2424)
T, d = 16, 8
t = np.arange(T + 1)
series = np.stack([np.sin(0.4 * t + k) for k in range(d)], axis=1)
params = {name: rng.standard_normal((d, d)) / np.sqrt(d) for name in ("Wq", "Wk", "Wv", "Wo")}
params["rel_bias"] = 0.1 * rng.standard_normal((2, 8))
f = next_step_loss
ARGS = (params, series[:-1], series[1:])
