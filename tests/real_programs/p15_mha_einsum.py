import numpy as np

def split_heads(x, n_heads):
    B, T, D = x.shape
    return x.reshape(B, T, n_heads, D // n_heads).transpose(0, 2, 1, 3)

def merge_heads(x):
    B, H, T, Dh = x.shape
    return x.transpose(0, 2, 1, 3).reshape(B, T, H * Dh)

def mha(params, x, n_heads=2):
    q = split_heads(x @ params["Wq"], n_heads)
    k = split_heads(x @ params["Wk"], n_heads)
    v = split_heads(x @ params["Wv"], n_heads)
    att = np.einsum("bhqd,bhkd->bhqk", q, k) / np.sqrt(q.shape[-1])
    att = np.exp(att - att.max(-1, keepdims=True))
    att = att / att.sum(-1, keepdims=True)
    out = np.einsum("bhqk,bhkd->bhqd", att, v)
    return merge_heads(out) @ params["Wo"]

def loss(params, x, y):
    return np.mean((mha(params, x) - y) ** 2)

rng = np.random.default_rng(14)
B, T, D = 2, 5, 8
params = {k: rng.standard_normal((D, D)) / np.sqrt(D) for k in ("Wq", "Wk", "Wv", "Wo")}
x = rng.standard_normal((B, T, D))
y = rng.standard_normal((B, T, D))
f = loss
ARGS = (params, x, y)
