"""Top-k sparse attention as in routing transformers: scores per query, the k largest kept with
np.argpartition and np.take_along_axis, scattered into a -inf mask with np.put_along_axis, softmax,
weighted values; regression loss on a pooled output."""
import numpy as np


def sparse_attn(params, X, target, k=3):
    Wq, Wk, Wv = params["Wq"], params["Wk"], params["Wv"]
    Q, K, V = X @ Wq, X @ Wk, X @ Wv
    s = Q @ K.T / np.sqrt(Q.shape[1])
    idx = np.argpartition(-s, k, axis=1)[:, :k]
    kept = np.take_along_axis(s, idx, axis=1)
    masked = np.full_like(s, -np.inf)
    np.put_along_axis(masked, idx, kept, axis=1)
    masked = masked - masked.max(axis=1, keepdims=True)
    a = np.exp(masked)
    a = a / a.sum(axis=1, keepdims=True)
    out = a @ V
    pooled = out.mean(axis=0)
    return np.sum((pooled - target) ** 2) + 1e-3 * sum(np.sum(W ** 2) for W in params.values())


rng = np.random.default_rng(110)
n, d = 9, 4
X = rng.standard_normal((n, d))
params = {name: 0.6 * rng.standard_normal((d, d)) for name in ("Wq", "Wk", "Wv")}
target = rng.standard_normal(d)

f = sparse_attn
ARGS = (params, X, target)
