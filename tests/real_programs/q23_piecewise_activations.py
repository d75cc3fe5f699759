"""A small network mixing piecewise-linear activations: leaky ReLU, hard tanh (np.clip), hard
sigmoid, and a three-piece activation with np.select; activations chosen by name from a dict."""
import numpy as np

def leaky_relu(x, a=0.1):
    return np.where(x > 0, x, a * x)

def hard_tanh(x):
    return np.clip(x, -1.0, 1.0)

def hard_sigmoid(x):
    return np.clip(0.2 * x + 0.5, 0.0, 1.0)

def three_piece(x):
    return np.select([x < -1.0, x > 1.0], [0.5 * (x + 1.0) - 1.0, 2.0 * (x - 1.0) + 1.0], default=x)

ACTS = {"leaky": leaky_relu, "hardtanh": hard_tanh, "hardsig": hard_sigmoid, "three": three_piece}

def net_loss(Ws, X, y, acts=("leaky", "hardtanh", "three")):
    h = X
    for W, name in zip(Ws[:-1], acts):
        h = ACTS[name](h @ W)
    out = hard_sigmoid(h @ Ws[-1])
    return -np.mean(y * np.log(out + 1e-6) + (1 - y) * np.log(1 - out + 1e-6))

rng = np.random.default_rng(23)
sizes = [3, 8, 8, 8, 1]
Ws = [rng.standard_normal((a, b)) * 0.8 for a, b in zip(sizes[:-1], sizes[1:])]
X = rng.standard_normal((25, 3))
y = (X[:, :1] * X[:, 1:2] > 0).astype(float)
f = net_loss
ARGS = (Ws, X, y)
