"""An MLP whose weights and biases are built with list comprehensions from a list of sizes; the
forward pass uses `for i, (W, b) in enumerate(zip(Ws, bs))` with a different last layer, and the
loss adds a per-layer weight decay that grows with depth."""
import numpy as np

def mlp(Ws, bs, x):
    n = len(Ws)
    for i, (W, b) in enumerate(zip(Ws, bs)):
        x = x @ W + b
        if i < n - 1:
            x = np.where(x > 0, x, 0.01 * x)
    return x

def loss(Ws, bs, x, y, decay=1e-3):
    out = mlp(Ws, bs, x)
    data = np.mean(np.sum((out - y) ** 2, axis=1))
    reg = sum((i + 1) * decay * np.sum(W ** 2) for i, W in enumerate(Ws))
    return data + reg

rng = np.random.default_rng(28)
sizes = [4, 16, 16, 8, 2]
Ws = [rng.standard_normal((m, n)) / np.sqrt(m) for m, n in zip(sizes[:-1], sizes[1:])]
bs = [0.1 * rng.standard_normal(n) for n in sizes[1:]]
f = loss
KW = dict(wrt=("Ws", "bs"))
ARGS = (Ws, bs, rng.standard_normal((10, 4)), rng.standard_normal((10, 2)))
