"""One Swin-Transformer block pair on a tiny feature map: window partition by reshape/transpose,
multi-head self-attention inside each window with a learned relative-position bias table indexed by
a precomputed index matrix, a shifted-window variant by np.roll with the attention mask for
wrapped regions, window reverse, residual MLP with layer norm.  A class holds the parameters;
its methods call each other.  Loss: MSE to a target map."""
import numpy as np


def layer_norm(x, g, b, eps=1e-5):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return g * (x - mu) / np.sqrt(var + eps) + b


def rel_index(ws):
    coords = np.stack(np.meshgrid(np.arange(ws), np.arange(ws), indexing="ij")).reshape(2, -1)
    rel = coords[:, :, None] - coords[:, None, :] + ws - 1
    return rel[0] * (2 * ws - 1) + rel[1]


class SwinBlock:
    def __init__(self, p, heads=2, ws=2):
        self.p = p
        self.heads = heads
        self.ws = ws

    def partition(self, x):
        H, W, C = x.shape
        ws = self.ws
        x = x.reshape(H // ws, ws, W // ws, ws, C).transpose(0, 2, 1, 3, 4)
        return x.reshape(-1, ws * ws, C)

    def reverse(self, win, H, W):
        ws = self.ws
        C = win.shape[-1]
        x = win.reshape(H // ws, W // ws, ws, ws, C).transpose(0, 2, 1, 3, 4)
        return x.reshape(H, W, C)

    def attention(self, win, mask):
        nW, N, C = win.shape
        d = C // self.heads
        qkv = (win @ self.p["Wqkv"]).reshape(nW, N, 3, self.heads, d).transpose(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        bias = self.p["bias_table"][rel_index(self.ws)]          # (N, N, heads)
        s = q @ k.transpose(0, 1, 3, 2) / np.sqrt(d) + bias.transpose(2, 0, 1)[None] + mask[:, None]
        s = s - s.max(-1, keepdims=True)
        a = np.exp(s)
        a = a / a.sum(-1, keepdims=True)
        out = (a @ v).transpose(0, 2, 1, 3).reshape(nW, N, C)
        return out @ self.p["Wo"]

    def __call__(self, x, shift):
        H, W, C = x.shape
        h = layer_norm(x, self.p["g1"], self.p["b1"])
        if shift:
            h = np.roll(h, (-1, -1), axis=(0, 1))
        mask = shift_mask(H, W, self.ws, shift)
        win = self.attention(self.partition(h), mask)
        h = self.reverse(win, H, W)
        if shift:
            h = np.roll(h, (1, 1), axis=(0, 1))
        x = x + h
        m = np.maximum(layer_norm(x, self.p["g2"], self.p["b2"]) @ self.p["W1"], 0.0) @ self.p["W2"]
        return x + m


def shift_mask(H, W, ws, shift):
    nW = (H // ws) * (W // ws)
    if not shift:
        return np.zeros((nW, ws * ws, ws * ws))
    region = np.zeros((H, W))
    region[H - 1:, :] += 1
    region[:, W - 1:] += 2
    r = region.reshape(H // ws, ws, W // ws, ws).transpose(0, 2, 1, 3).reshape(nW, ws * ws)
    return np.where(r[:, :, None] == r[:, None, :], 0.0, -100.0)


def loss(p, x, target):
    blk = SwinBlock(p)
    y = blk(blk(x, False), True)
    return np.mean((y - target) ** 2)


rng = np.random.default_rng(7)
C = 8
p = {"Wqkv": rng.standard_normal((C, 3 * C)) / np.sqrt(C), "Wo": rng.standard_normal((C, C)) / np.sqrt(C),
     "bias_table": 0.1 * rng.standard_normal((9, 2)), "g1": np.ones(C), "b1": np.zeros(C),
     "g2": np.ones(C), "b2": np.zeros(C), "W1": rng.standard_normal((C, 16)) / np.sqrt(C),
     "W2": rng.standard_normal((16, C)) / 4.0}
f = loss
ARGS = (p, rng.standard_normal((4, 4, C)), rng.standard_normal((4, 4, C)))
