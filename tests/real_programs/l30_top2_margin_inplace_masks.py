"""Multiclass margin objective written with in-place numpy idioms: weight clipping by masked writes
(W[W > 1] *= 0.5), per-sample softmax where the runner-up is found by zeroing the winner
(q[np.argmax(q)] = 0), a hinge on the top-2 margin, np.logaddexp.reduce for the log-partition, and
h[h < 0] = 0 on a copied hidden layer."""
import numpy as np


def margin_loss(W, V, X, y, m=0.3):
    W = W.copy()
    W[W > 1] *= 0.5
    W[W < -1] *= 0.5
    h = X @ W
    h[h < 0] = 0
    Z = h @ V
    total = 0.0
    for i in range(len(y)):
        z = Z[i]
        lse = np.logaddexp.reduce(z)
        p = np.exp(z - lse)
        q = p.copy()
        q[np.argmax(q)] = 0
        runner_up = q.max()
        margin = p[y[i]] - runner_up
        total += (lse - z[y[i]]) + np.maximum(0.0, m - margin)
    return total / len(y)


rng = np.random.default_rng(130)
X = rng.standard_normal((16, 4))
y = rng.integers(0, 3, 16)
W = 0.9 * rng.standard_normal((4, 6))
V = 0.8 * rng.standard_normal((6, 3))

f = margin_loss
ARGS = (W, V, X, y)
KW = {"wrt": ("W", "V")}
