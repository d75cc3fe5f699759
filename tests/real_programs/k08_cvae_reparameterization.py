"""Conditional VAE on small vectors with the reparameterisation trick: encoder/decoder are
two-layer MLPs stored as lists of (W, b) tuples, the condition (one-hot class from np.eye) is
concatenated to inputs, the encoder output is split into mean and log-variance with np.split,
eps is drawn with np.random.standard_normal inside the loss (SEEDED), the decoder is Gaussian with a
learned global log-scale, and the ELBO uses the analytic Gaussian KL.  Differentiated w.r.t. the
parameter dict {"enc": [...], "dec": [...], "log_sigma": float}."""
import numpy as np

D, Z, C, HID = 8, 2, 3, 16


def mlp(layers, x):
    for i, (W, b) in enumerate(layers):
        x = x @ W + b
        if i < len(layers) - 1:
            x = np.tanh(x)
    return x


def neg_elbo(params, X, labels, beta=1.0):
    cond = np.eye(C)[labels]
    h = mlp(params["enc"], np.concatenate([X, cond], axis=1))
    mu, logvar = np.split(h, 2, axis=1)
    eps = np.random.standard_normal(mu.shape)
    z = mu + np.exp(0.5 * logvar) * eps
    recon = mlp(params["dec"], np.concatenate([z, cond], axis=1))
    log_sigma = params["log_sigma"]
    nll = 0.5 * np.sum(((X - recon) / np.exp(log_sigma)) ** 2, axis=1) + D * (log_sigma + 0.5 * np.log(2 * np.pi))
    kl = -0.5 * np.sum(1 + logvar - mu ** 2 - np.exp(logvar), axis=1)
    return float(np.mean(nll + beta * kl))


rng = np.random.default_rng(8)
labels = rng.integers(0, C, 40)
X = np.eye(C, D)[labels] * 2 + 0.3 * rng.standard_normal((40, D))


def init(sizes):
    return [(rng.standard_normal((a, b)) / np.sqrt(a), np.zeros(b)) for a, b in zip(sizes[:-1], sizes[1:])]


params = {"enc": init([D + C, HID, 2 * Z]), "dec": init([Z + C, HID, D]), "log_sigma": -0.5}
f = neg_elbo
ARGS = (params, X, labels)
SEEDED = True
