"""A small vector-quantised autoencoder trained with a soft (annealed) assignment to the codebook
instead of the straight-through estimator: squared distances from each encoding to every code by
the |a|^2 - 2ab + |b|^2 expansion, a temperature softmax over codes, the quantised vector as the
weighted code mix; reconstruction + commitment + codebook-usage (perplexity) terms."""
import numpy as np


def mlp(x, W1, b1, W2, b2):
    return np.tanh(x @ W1 + b1) @ W2 + b2


def soft_quantise(z, codebook, temperature):
    d2 = (z ** 2).sum(1, keepdims=True) - 2 * z @ codebook.T + (codebook ** 2).sum(1)[None, :]
    logits = -d2 / temperature
    logits = logits - logits.max(axis=1, keepdims=True)
    q = np.exp(logits)
    q /= q.sum(axis=1, keepdims=True)
    return q @ codebook, q, d2


def vq_loss(params, x, temperature=0.5, beta=0.25, gamma=0.1):
    z = mlp(x, params["enc_W1"], params["enc_b1"], params["enc_W2"], params["enc_b2"])
    zq, q, d2 = soft_quantise(z, params["codebook"], temperature)
    xr = mlp(zq, params["dec_W1"], params["dec_b1"], params["dec_W2"], params["dec_b2"])
    recon = np.mean(np.sum((xr - x) ** 2, axis=1))
    commit = beta * np.mean(np.sum(q * d2, axis=1))
    usage = q.mean(axis=0)
    entropy = -np.sum(usage * np.log(usage + 1e-10))
    return recon + commit - gamma * entropy


rng = np.random.default_rng(9)
D, H, Z, K = 6, 12, 3, 5
params = {"enc_W1": rng.standard_normal((D, H)) / np.sqrt(D), "enc_b1": np.zeros(H),
          "enc_W2": rng.standard_normal((H, Z)) / np.sqrt(H), "enc_b2": np.zeros(Z),
          "dec_W1": rng.standard_normal((Z, H)) / np.sqrt(Z), "dec_b1": np.zeros(H),
          "dec_W2": rng.standard_normal((H, D)) / np.sqrt(H), "dec_b2": np.zeros(D),
          "codebook": rng.standard_normal((K, Z))}
centers = rng.standard_normal((4, D)) * 2
x = centers[rng.integers(0, 4, 40)] + 0.3 * rng.standard_normal((40, D))
f = vq_loss
ARGS = (params, x)
