"""Training step loss with mixup: a Beta(0.4, 0.4) mixing weight and a random permutation of the
batch (np.random.beta, np.random.permutation), one-hot targets mixed the same way, a two-layer
GELU MLP whose layers are a list of (W, b) tuples, and weight decay."""
import numpy as np


def gelu(x):
    return 0.5 * x * (1.0 + np.tanh(np.sqrt(2.0 / np.pi) * (x + 0.044715 * x ** 3)))


def one_hot(y, k):
    out = np.zeros((len(y), k))
    out[np.arange(len(y)), y] = 1.0
    return out


def mixup_loss(layers, X, y, n_classes=3, alpha=0.4, wd=1e-4):
    lam = np.random.beta(alpha, alpha)
    perm = np.random.permutation(len(X))
    Xm = lam * X + (1 - lam) * X[perm]
    Y = one_hot(y, n_classes)
    Ym = lam * Y + (1 - lam) * Y[perm]
    h = Xm
    for i, (W, b) in enumerate(layers):
        h = h @ W + b
        if i < len(layers) - 1:
            h = gelu(h)
    logp = h - np.log(np.sum(np.exp(h - h.max(axis=1, keepdims=True)), axis=1, keepdims=True)) - h.max(axis=1, keepdims=True)
    ce = -np.mean(np.sum(Ym * logp, axis=1))
    return ce + wd * sum(np.sum(W ** 2) for W, _ in layers)


rng = np.random.default_rng(515)
X = rng.standard_normal((24, 5))
y = rng.integers(0, 3, 24)
layers = [(rng.standard_normal((5, 16)) * 0.4, np.zeros(16)), (rng.standard_normal((16, 3)) * 0.4, 0.1 * np.ones(3))]

f = mixup_loss
SEEDED = True
ARGS = (layers, X, y)
