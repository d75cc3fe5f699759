"""WaveNet-style stack: dilated causal 1-d convolutions written with np.pad and slicing, gated
activations tanh * sigmoid, residual and skip connections collected in a list."""
import numpy as np

def sigmoid(x):
    return 0.5 * (1 + np.tanh(0.5 * x))

def causal_conv(x, W, dilation):
    # x: (C_in, T), W: (C_out, C_in, K)
    C_out, C_in, K = W.shape
    T = x.shape[1]
    pad = (K - 1) * dilation
    xp = np.pad(x, ((0, 0), (pad, 0)))
    out = np.zeros((C_out, T))
    for k in range(K):
        out = out + W[:, :, k] @ xp[:, k * dilation: k * dilation + T]
    return out

def wavenet_loss(layers, W_out, x, target):
    h = x
    skips = []
    for i, layer in enumerate(layers):
        d = 2 ** i
        filt = np.tanh(causal_conv(h, layer["Wf"], d))
        gate = sigmoid(causal_conv(h, layer["Wg"], d))
        z = filt * gate
        skips.append(layer["Ws"] @ z)
        h = h + layer["Wr"] @ z
    s = np.maximum(sum(skips), 0.0)
    pred = W_out @ s
    return np.mean((pred - target) ** 2)

rng = np.random.default_rng(35)
C, T, K = 3, 16, 2
layers = [{"Wf": 0.4 * rng.standard_normal((C, C, K)), "Wg": 0.4 * rng.standard_normal((C, C, K)),
           "Ws": 0.4 * rng.standard_normal((C, C)), "Wr": 0.4 * rng.standard_normal((C, C))} for _ in range(3)]
f = wavenet_loss
KW = dict(wrt=("layers", "W_out"))
ARGS = (layers, 0.5 * rng.standard_normal((1, C)), rng.standard_normal((C, T)), rng.standard_normal((1, T)))
