"""Modern network blocks written out in numpy: a 1x1-conv stage with GroupNorm on an NCHW tensor,
global average pooling, then an RMSNorm + SwiGLU feed-forward residual block and a linear head;
mean squared error on a regression target."""
import numpy as np


def group_norm(x, gamma, beta, groups, eps=1e-5):
    N, C, H, W = x.shape
    xg = x.reshape(N, groups, C // groups, H, W)
    mean = xg.mean(axis=(2, 3, 4), keepdims=True)
    var = xg.var(axis=(2, 3, 4), keepdims=True)
    xg = (xg - mean) / np.sqrt(var + eps)
    x = xg.reshape(N, C, H, W)
    return x * gamma[None, :, None, None] + beta[None, :, None, None]


def rms_norm(x, weight, eps=1e-6):
    return x / np.sqrt(np.mean(x ** 2, axis=-1, keepdims=True) + eps) * weight


def silu(x):
    return x / (1.0 + np.exp(-x))


def swiglu(x, W_gate, W_up, W_down):
    return (silu(x @ W_gate) * (x @ W_up)) @ W_down


def forward(p, images):
    h = np.einsum("oc,nchw->nohw", p["conv_w"], images) + p["conv_b"][None, :, None, None]
    h = group_norm(h, p["gn_gamma"], p["gn_beta"], groups=4)
    h = silu(h)
    z = h.mean(axis=(2, 3))
    z = z + swiglu(rms_norm(z, p["rms_w"]), p["W_gate"], p["W_up"], p["W_down"])
    return z @ p["head"]


def loss(p, images, y):
    return np.mean((forward(p, images) - y) ** 2)


rng = np.random.default_rng(512)
C_in, C, D_ff = 3, 8, 16
p = {
    "conv_w": rng.standard_normal((C, C_in)) * 0.5,
    "conv_b": 0.1 * rng.standard_normal(C),
    "gn_gamma": 1.0 + 0.1 * rng.standard_normal(C),
    "gn_beta": 0.1 * rng.standard_normal(C),
    "rms_w": np.ones(C) + 0.05 * rng.standard_normal(C),
    "W_gate": rng.standard_normal((C, D_ff)) / np.sqrt(C),
    "W_up": rng.standard_normal((C, D_ff)) / np.sqrt(C),
    "W_down": rng.standard_normal((D_ff, C)) / np.sqrt(D_ff),
    "head": rng.standard_normal((C, 2)) / np.sqrt(C),
}
images = rng.standard_normal((4, C_in, 5, 5))
y = rng.standard_normal((4, 2))

f = loss
ARGS = (p, images, y)
