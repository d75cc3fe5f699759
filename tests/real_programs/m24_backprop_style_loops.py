"""Deep linear-plus-tanh net written in the style of a from-scratch tutorial: weights and biases
in two parallel lists, the forward pass with enumerate(zip(...)), a per-layer learning-rate-free
"layer importance" term computed over reversed(list(enumerate(...))), skip connections read from
a list of activations by index arithmetic."""
import numpy as np


def forward(Ws, bs, x):
    acts = [x]
    for i, (W, b) in enumerate(zip(Ws, bs)):
        z = acts[-1] @ W + b
        if i >= 2:
            z = z + acts[i - 1]
        acts.append(np.tanh(z) if i < len(Ws) - 1 else z)
    return acts


def loss(Ws, bs, X, y):
    acts = forward(Ws, bs, X)
    out = acts[-1][:, 0]
    mse = np.mean((out - y) ** 2)
    importance = 0.0
    for depth, (i, W) in enumerate(reversed(list(enumerate(Ws)))):
        importance = importance + (depth + 1) * np.sum(W ** 2) / (i + 1)
    return mse + 1e-3 * importance


rng = np.random.default_rng(24)
sizes = [3, 4, 4, 4, 1]
Ws = [rng.standard_normal((a, b)) / np.sqrt(a) for a, b in zip(sizes[:-1], sizes[1:])]
bs = [0.1 * rng.standard_normal(b) for b in sizes[1:]]
X = rng.standard_normal((10, 3))
y = X[:, 0] * X[:, 1]

f = loss
ARGS = (Ws, bs, X, y)
KW = {"wrt": ("Ws", "bs")}
