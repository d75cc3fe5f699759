"""Capsule network head with dynamic routing-by-agreement (Sabour et al. 2017): prediction vectors
u_hat = W u by einsum, three routing iterations with softmax coupling coefficients and the squash
non-linearity, margin loss on the output capsule lengths."""
import numpy as np
from scipy.special import softmax


def squash(s, axis=-1, eps=1e-9):
    sq = np.sum(s ** 2, axis=axis, keepdims=True)
    return sq / (1 + sq) * s / np.sqrt(sq + eps)


def route(u_hat, n_iter=3):
    b = np.zeros(u_hat.shape[:3])                       # (batch, in, out)
    for it in range(n_iter):
        c = softmax(b, axis=2)
        s = np.einsum("bij,bijd->bjd", c, u_hat)
        v = squash(s)
        if it < n_iter - 1:
            b = b + np.einsum("bijd,bjd->bij", u_hat, v)
    return v


def margin_loss(W, u, labels, m_plus=0.9, m_minus=0.1, lam=0.5):
    u_hat = np.einsum("ijdk,bik->bijd", W, u)
    v = route(u_hat)
    lengths = np.linalg.norm(v, axis=-1)
    T = np.eye(W.shape[1])[labels]
    present = T * np.maximum(0.0, m_plus - lengths) ** 2
    absent = lam * (1 - T) * np.maximum(0.0, lengths - m_minus) ** 2
    return np.mean(np.sum(present + absent, axis=1))


rng = np.random.default_rng(124)
batch, n_in, d_in, n_out, d_out = 6, 8, 4, 3, 6
u = squash(rng.standard_normal((batch, n_in, d_in)))
labels = rng.integers(0, n_out, batch)
f = margin_loss
ARGS = (0.5 * rng.standard_normal((n_in, n_out, d_out, d_in)), u, labels)
