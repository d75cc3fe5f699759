"""A small MLP written the way numpy tutorials write it: pre-activations, then ReLU applied in place
with h[h < 0] = 0, dropout-free leaky variant via h[mask] *= alpha, and a softmax with the max
subtracted in place (z -= z.max(...)); cross-entropy loss for a batch."""
import numpy as np


def forward(params, X, y):
    W1, b1, W2, b2 = params
    h = X @ W1 + b1
    leaky = h.copy()
    mask = leaky < 0
    leaky[mask] *= 0.1
    h[h < 0] = 0
    hh = 0.5 * (h + leaky)
    z = hh @ W2 + b2
    z -= z.max(axis=1, keepdims=True)
    ez = np.exp(z)
    p = ez / ez.sum(axis=1, keepdims=True)
    logp = np.log(p[np.arange(len(y)), y])
    return -logp.mean()


rng = np.random.default_rng(13)
X = rng.standard_normal((10, 4))
y = rng.integers(0, 3, 10)
params = [0.5 * rng.standard_normal((4, 6)), 0.1 * rng.standard_normal(6),
          0.5 * rng.standard_normal((6, 3)), np.zeros(3)]
f = forward
ARGS = (params, X, y)
