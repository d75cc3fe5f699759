"""Layer-normalised LSTM (Ba et al. 2016) for sequence regression: parameters in a dict (one fused
4H x (D+H) weight, per-gate layer-norm gains/biases), the fused pre-activation is split with
np.split into the four gates, each normalised by its own mean/std (np.mean/np.std with keepdims on
a batch), cell state normalised too; hidden states collected in a list and stacked, a linear readout
per step and MSE against targets.  Differentiated w.r.t. the parameter dict."""
import numpy as np

D, H, B, T = 3, 5, 4, 6


def layer_norm(x, g, b, eps=1e-5):
    mu = x.mean(axis=-1, keepdims=True)
    sd = x.std(axis=-1, keepdims=True)
    return g * (x - mu) / (sd + eps) + b


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def lstm_step(p, x, h, c):
    z = np.concatenate([x, h], axis=1) @ p["W"].T
    zi, zf, zo, zg = np.split(z, 4, axis=1)
    i = sigmoid(layer_norm(zi, p["g_i"], p["b_i"]))
    f = sigmoid(layer_norm(zf, p["g_f"], p["b_f"]) + 1.0)
    o = sigmoid(layer_norm(zo, p["g_o"], p["b_o"]))
    g = np.tanh(layer_norm(zg, p["g_g"], p["b_g"]))
    c = f * c + i * g
    h = o * np.tanh(layer_norm(c, p["g_c"], p["b_c"]))
    return h, c


def sequence_loss(p, xs, ys):
    h = np.zeros((B, H))
    c = np.zeros((B, H))
    outs = []
    for t in range(xs.shape[0]):
        h, c = lstm_step(p, xs[t], h, c)
        outs.append(h @ p["w_out"] + p["b_out"])
    pred = np.stack(outs)
    return np.mean((pred - ys) ** 2)


rng = np.random.default_rng(4)
p = {"W": 0.3 * rng.standard_normal((4 * H, D + H))}
for k in "ifogc":
    p[f"g_{k}"] = np.ones(H) + 0.1 * rng.standard_normal(H)
    p[f"b_{k}"] = 0.1 * rng.standard_normal(H)
p["w_out"] = 0.5 * rng.standard_normal(H)
p["b_out"] = 0.0
xs = rng.standard_normal((T, B, D))
ys = np.cumsum(xs[..., 0], axis=0) * 0.3
f = sequence_loss
ARGS = (p, xs, ys)
