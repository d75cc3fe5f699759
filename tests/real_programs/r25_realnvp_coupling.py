"""RealNVP-style normalizing flow on 4-D data: a list of affine coupling layers (subclasses of a
small Layer base class with __call__) with alternating binary masks, tanh-bounded log-scales and
the log-determinant accumulated; negative log-likelihood under a standard normal base."""
import numpy as np


class Layer:
    def __call__(self, x):
        return self.forward(x)


class AffineCoupling(Layer):
    def __init__(self, mask, hidden, rng):
        d = len(mask)
        self.mask = mask
        self.W1 = 0.3 * rng.standard_normal((d, hidden))
        self.b1 = np.zeros(hidden)
        self.Ws = 0.1 * rng.standard_normal((hidden, d))
        self.Wt = 0.1 * rng.standard_normal((hidden, d))

    def forward(self, x):
        h = np.tanh((x * self.mask) @ self.W1 + self.b1)
        s = np.tanh(h @ self.Ws) * (1 - self.mask)
        t = (h @ self.Wt) * (1 - self.mask)
        y = x * np.exp(s) + t
        return y, s.sum(axis=1)


def flow_nll(layers, x):
    log_det = np.zeros(x.shape[0])
    z = x
    for layer in layers:
        z, ld = layer(z)
        log_det += ld
    log_base = -0.5 * np.sum(z ** 2, axis=1) - 0.5 * z.shape[1] * np.log(2 * np.pi)
    return -np.mean(log_base + log_det)


rng = np.random.default_rng(125)
masks = [np.array([1.0, 1.0, 0.0, 0.0]), np.array([0.0, 0.0, 1.0, 1.0]),
         np.array([1.0, 0.0, 1.0, 0.0]), np.array([0.0, 1.0, 0.0, 1.0])]
layers = [AffineCoupling(m, 8, rng) for m in masks]
z = rng.standard_normal((40, 4))
x = np.column_stack([z[:, 0], z[:, 1] + 0.5 * z[:, 0] ** 2, np.sin(z[:, 2]), z[:, 3] * 0.3 + z[:, 0]])

f = flow_nll
ARGS = (layers, x)
