import numpy as np

def softmax(x, axis=-1):
    x = x - np.max(x, axis=axis, keepdims=True)
    e = np.exp(x)
    return e / e.sum(axis=axis, keepdims=True)

def causal_self_attention(x, Wq, Wk, Wv, Wo):
    T, d = x.shape
    q = x @ Wq
    k = x @ Wk
    v = x @ Wv
    scores = q @ k.T / np.sqrt(d)
    mask = np.triu(np.ones((T, T)), k=1).astype(bool)
    scores = np.where(mask, -1e9, scores)
    attn = softmax(scores, axis=-1)
    return attn @ v @ Wo

def loss(Wq, Wk, Wv, Wo, x, target):
    out = causal_self_attention(x, Wq, Wk, Wv, Wo)
    return 0.5 * np.sum((out - target) ** 2)

rng = np.random.default_rng(3)
T, d = 6, 8
Wq, Wk, Wv, Wo = [rng.standard_normal((d, d)) / np.sqrt(d) for _ in range(4)]
x = rng.standard_normal((T, d))
target = rng.standard_normal((T, d))
f = loss
KW = dict(wrt=("Wq", "Wk", "Wv", "Wo"))
ARGS = (Wq, Wk, Wv, Wo, x, target)
