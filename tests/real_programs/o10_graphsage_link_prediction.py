"""GraphSAGE with mean aggregation on a dense adjacency matrix: at each layer a node's features
are concatenated with the mean of its neighbours' (A @ H / degree, isolated nodes guarded by
np.maximum), passed through a linear map and ReLU, then L2-normalised per row.  Link prediction:
dot-product scores of positive edges and of sampled non-edges, binary cross-entropy with logits
via np.logaddexp, plus weight decay.  Parameters as a list of layer dicts."""
import numpy as np


def sage_layer(H, A, layer, last=False):
    deg = A.sum(axis=1, keepdims=True)
    neigh = (A @ H) / np.maximum(deg, 1.0)
    h = np.concatenate([H, neigh], axis=1) @ layer["W"] + layer["b"]
    if not last:
        h = np.maximum(h, 0.0)
    norm = np.sqrt(np.sum(h ** 2, axis=1, keepdims=True) + 1e-12)
    return h / norm


def link_loss(layers, X, A, pos, neg, wd=1e-3):
    H = X
    for i, layer in enumerate(layers):
        H = sage_layer(H, A, layer, last=(i == len(layers) - 1))
    s_pos = np.sum(H[pos[:, 0]] * H[pos[:, 1]], axis=1) * 5.0
    s_neg = np.sum(H[neg[:, 0]] * H[neg[:, 1]], axis=1) * 5.0
    bce = np.mean(np.logaddexp(0.0, -s_pos)) + np.mean(np.logaddexp(0.0, s_neg))
    return bce + wd * sum(np.sum(l["W"] ** 2) for l in layers)


rng = np.random.default_rng(10)
N, F, Hd = 14, 5, 8
A = (rng.uniform(size=(N, N)) < 0.2).astype(float)
A = np.triu(A, 1)
A = A + A.T
A[13, :] = A[:, 13] = 0.0                      # an isolated node
X = rng.standard_normal((N, F))
pos = np.argwhere(np.triu(A) > 0)
neg = []
while len(neg) < len(pos):
    i, j = rng.integers(0, N, 2)
    if i != j and A[i, j] == 0:
        neg.append((i, j))
neg = np.array(neg)
layers = [{"W": rng.standard_normal((2 * F, Hd)) / np.sqrt(2 * F), "b": 0.1 * rng.standard_normal(Hd)},
          {"W": rng.standard_normal((2 * Hd, Hd)) / np.sqrt(2 * Hd), "b": np.zeros(Hd)}]
f = link_loss
ARGS = (layers, X, A, pos, neg)
