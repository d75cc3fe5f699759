"""SimCLR's NT-Xent loss for a small batch: an MLP encoder and projection head (params dict), two
"augmented" views (fixed noise and feature dropout masks), L2-normalised projections, the 2N x 2N
cosine-similarity matrix with its diagonal filled with -inf by np.fill_diagonal, and cross-entropy
toward each sample's positive pair (scipy's logsumexp); plus a hard-negative triplet term that picks
each anchor's top-3 negatives with argsort / take_along_axis.  Differentiated w.r.t. the params
dict."""
import numpy as np
from scipy.special import logsumexp


def encoder(params, x):
    h = np.maximum(x @ params["W1"] + params["b1"], 0.0)
    h = np.maximum(h @ params["W2"] + params["b2"], 0.0)
    return h @ params["Wp"]


def nt_xent(params, x1, x2, tau=0.2, margin=0.3):
    n = x1.shape[0]
    z = np.concatenate([encoder(params, x1), encoder(params, x2)], axis=0)
    z /= np.linalg.norm(z, axis=1, keepdims=True)
    sim = z @ z.T / tau
    np.fill_diagonal(sim, -np.inf)
    pos = np.concatenate([np.arange(n, 2 * n), np.arange(n)])
    log_prob = sim[np.arange(2 * n), pos] - logsumexp(sim, axis=1)
    contrastive = -log_prob.mean()
    # hard negatives: the three most similar non-positives of each anchor
    cos = z[:n] @ z[n:].T
    neg = cos - 10.0 * np.eye(n)
    idx = np.argsort(-neg, axis=1)[:, :3]
    hard = np.take_along_axis(cos, idx, axis=1)
    triplet = np.maximum(0.0, hard - np.diag(cos)[:, None] + margin).mean()
    return contrastive + triplet


rng = np.random.default_rng(9)
d_in, d_h, d_p, n = 6, 16, 8, 8
params = {"W1": rng.standard_normal((d_in, d_h)) / np.sqrt(d_in), "b1": 0.1 * rng.standard_normal(d_h),
          "W2": rng.standard_normal((d_h, d_h)) / np.sqrt(d_h), "b2": 0.1 * rng.standard_normal(d_h),
          "Wp": rng.standard_normal((d_h, d_p)) / np.sqrt(d_h)}
x = rng.standard_normal((n, d_in))
x1 = (x + 0.1 * rng.standard_normal(x.shape)) * (rng.random(x.shape) > 0.1)
x2 = (x + 0.1 * rng.standard_normal(x.shape)) * (rng.random(x.shape) > 0.1)
f = nt_xent
ARGS = (params, x1, x2)
