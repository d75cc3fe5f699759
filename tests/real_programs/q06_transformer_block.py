"""A pre-norm transformer block written as a class with a parameter dict and __call__: multi-head
attention with reshapes/transposes and einsum, a causal mask, GELU MLP, residuals."""
import numpy as np

class TransformerBlock:
    def __init__(self, params, n_heads):
        self.p = params
        self.n_heads = n_heads

    def layer_norm(self, x, g, b, eps=1e-5):
        mu = x.mean(-1, keepdims=True)
        var = ((x - mu) ** 2).mean(-1, keepdims=True)
        return g * (x - mu) / np.sqrt(var + eps) + b

    def attention(self, x):
        B, T, D = x.shape
        H = self.n_heads
        dh = D // H
        qkv = x @ self.p["W_qkv"]                       # (B, T, 3D)
        q, k, v = np.split(qkv, 3, axis=-1)
        q = q.reshape(B, T, H, dh).transpose(0, 2, 1, 3)
        k = k.reshape(B, T, H, dh).transpose(0, 2, 1, 3)
        v = v.reshape(B, T, H, dh).transpose(0, 2, 1, 3)
        att = np.einsum("bhqd,bhkd->bhqk", q, k) / np.sqrt(dh)
        causal = np.tril(np.ones((T, T), dtype=bool))
        att = np.where(causal, att, -1e9)
        att = att - att.max(axis=-1, keepdims=True)
        att = np.exp(att)
        att = att / att.sum(axis=-1, keepdims=True)
        out = np.einsum("bhqk,bhkd->bhqd", att, v)
        out = out.transpose(0, 2, 1, 3).reshape(B, T, D)
        return out @ self.p["W_o"]

    def mlp(self, x):
        h = x @ self.p["W_fc"] + self.p["b_fc"]
        h = 0.5 * h * (1 + np.tanh(np.sqrt(2 / np.pi) * (h + 0.044715 * h ** 3)))
        return h @ self.p["W_proj"]

    def __call__(self, x):
        x = x + self.attention(self.layer_norm(x, self.p["ln1_g"], self.p["ln1_b"]))
        x = x + self.mlp(self.layer_norm(x, self.p["ln2_g"], self.p["ln2_b"]))
        return x

def loss(block, x, y):
    out = block(x)
    return np.mean((out - y) ** 2)

rng = np.random.default_rng(6)
B, T, D, H = 2, 5, 8, 2
params = {"W_qkv": rng.standard_normal((D, 3 * D)) / np.sqrt(D), "W_o": rng.standard_normal((D, D)) / np.sqrt(D),
          "W_fc": rng.standard_normal((D, 4 * D)) / np.sqrt(D), "b_fc": 0.1 * rng.standard_normal(4 * D),
          "W_proj": rng.standard_normal((4 * D, D)) / np.sqrt(4 * D),
          "ln1_g": 1 + 0.1 * rng.standard_normal(D), "ln1_b": 0.1 * rng.standard_normal(D),
          "ln2_g": 1 + 0.1 * rng.standard_normal(D), "ln2_b": 0.1 * rng.standard_normal(D)}
block = TransformerBlock(params, H)
f = loss
KW = dict(wrt="block")
ARGS = (block, rng.standard_normal((B, T, D)), rng.standard_normal((B, T, D)))
EXTRA = ["jvp"]
