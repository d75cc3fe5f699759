"""An invertible residual flow (i-ResNet) on 2-D data: each block is x + g(x), g a one-hidden-
layer tanh network whose weight matrices are spectrally normalised by a few steps of power
iteration (run from fixed vectors).  The log-determinant of each block's Jacobian I + J_g is
taken by its power series sum_k (-1)^(k+1) tr(J_g^k) / k, J_g built per sample with einsum.
Loss: negative log-likelihood of the data under a standard normal base, w.r.t. the block list."""
import numpy as np


def spectral_normalise(W, coeff=0.9, n_iter=5):
    u = np.ones(W.shape[0]) / np.sqrt(W.shape[0])
    for _ in range(n_iter):
        v = W.T @ u
        v = v / np.linalg.norm(v)
        u = W @ v
        u = u / np.linalg.norm(u)
    sigma = u @ W @ v
    return coeff * W / np.maximum(sigma / coeff, 1.0) / coeff


def block(x, blk, n_terms=6):
    W1 = spectral_normalise(blk["W1"])
    W2 = spectral_normalise(blk["W2"])
    pre = x @ W1.T + blk["b1"]
    h = np.tanh(pre)
    y = x + h @ W2.T
    dh = 1.0 - h ** 2                                        # (B, H)
    J = np.einsum("ij,bj,jk->bik", W2, dh, W1)              # (B, D, D)
    logdet = np.zeros(x.shape[0])
    Jk = J
    for k in range(1, n_terms + 1):
        logdet = logdet + (-1) ** (k + 1) * np.trace(Jk, axis1=1, axis2=2) / k
        Jk = Jk @ J
    return y, logdet


def nll(blocks, x):
    total_logdet = 0.0
    z = x
    for blk in blocks:
        z, ld = block(z, blk)
        total_logdet = total_logdet + ld
    log_base = -0.5 * np.sum(z ** 2, axis=1) - np.log(2 * np.pi)
    return -np.mean(log_base + total_logdet)


rng = np.random.default_rng(8)
D, H = 2, 10
blocks = [{"W1": rng.standard_normal((H, D)), "b1": 0.1 * rng.standard_normal(H),
           "W2": rng.standard_normal((D, H)) * 0.3} for _ in range(3)]
theta = rng.uniform(0, 2 * np.pi, 64)
x = np.stack([2 * np.cos(theta), np.sin(theta)], axis=1) + 0.1 * rng.standard_normal((64, 2))
f = nll
ARGS = (blocks, x)
