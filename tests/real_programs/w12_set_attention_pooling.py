"""Point-set regression with a Deep-Sets encoder and attention pooling over padded, variable-size
sets: the per-element MLP runs on a (batch, max_len, d) array, padded slots get a score of -inf by
boolean-mask assignment (scores[~mask] = -np.inf) before a softmax over the set, a masked mean is
concatenated as a second summary; the model is a small class with __init__-built parameter dict
and methods, differentiated as the object."""
import numpy as np


class SetRegressor:
    def __init__(self, d_in, d_hidden, rng):
        self.p = {
            "W_phi": rng.standard_normal((d_in, d_hidden)) / np.sqrt(d_in),
            "b_phi": 0.1 * rng.standard_normal(d_hidden),
            "q": rng.standard_normal(d_hidden) / np.sqrt(d_hidden),
            "W_rho": rng.standard_normal((2 * d_hidden, 1)) / np.sqrt(2 * d_hidden),
        }

    def encode(self, X):
        return np.tanh(X @ self.p["W_phi"] + self.p["b_phi"])

    def pool(self, H, mask):
        scores = H @ self.p["q"]
        scores[~mask] = -np.inf
        scores = scores - scores.max(axis=1, keepdims=True)
        w = np.exp(scores)
        w = w / w.sum(axis=1, keepdims=True)
        attn = np.einsum("bn,bnd->bd", w, H)
        counts = mask.sum(axis=1, keepdims=True)
        mean = (H * mask[..., None]).sum(axis=1) / counts
        return np.concatenate([attn, mean], axis=1)

    def __call__(self, X, mask):
        return (self.pool(self.encode(X), mask) @ self.p["W_rho"])[:, 0]


def set_loss(model, X, mask, y):
    pred = model(X, mask)
    return np.mean((pred - y) ** 2)


rng = np.random.default_rng(2012)
batch, max_len, d = 6, 7, 3
lengths = np.array([3, 7, 5, 2, 6, 4])
mask = np.arange(max_len)[None, :] < lengths[:, None]
X = rng.standard_normal((batch, max_len, d)) * mask[..., None]
y = np.array([np.sum(X[b, :lengths[b], 0] ** 2) / lengths[b] for b in range(batch)])
f = set_loss
ARGS = (SetRegressor(d, 8, rng), X, mask, y)
