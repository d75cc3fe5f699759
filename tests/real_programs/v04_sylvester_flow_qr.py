"""Sylvester normalising flows (van den Berg et al. 2018) fitted by reverse KL to a banana-shaped
target: each layer's orthonormal Q comes from np.linalg.qr of a free matrix, R1/R2 are upper
triangular (np.triu plus a tanh diagonal), log|det| from the diagonal; base samples are a fixed
array of standard normals (reparameterisation)."""
import numpy as np


def make_layer(raw):
    Q, _ = np.linalg.qr(raw["A"])
    R1 = np.triu(raw["R1"], 1) + np.diag(np.tanh(raw["d1"]))
    R2 = np.triu(raw["R2"], 1) + np.diag(np.tanh(raw["d2"]))
    return Q, R1, R2, raw["b"]


def sylvester(z, Q, R1, R2, b):
    pre = z @ Q @ R2.T + b
    h = np.tanh(pre)
    z_new = z + h @ R1.T @ Q.T
    diag = 1.0 + np.diag(R1) * np.diag(R2) * (1.0 - h ** 2)
    return z_new, np.sum(np.log(np.abs(diag)), axis=1)


def log_banana(z, curvature=0.5):
    x, y = z[:, 0], z[:, 1]
    return -0.5 * (x ** 2 / 4.0 + (y - curvature * x ** 2 + 1.0) ** 2 / 0.25)


def reverse_kl(layers, eps):
    z = eps
    log_q = -0.5 * np.sum(eps ** 2, axis=1) - np.log(2 * np.pi)
    for raw in layers:
        z, logdet = sylvester(z, *make_layer(raw))
        log_q = log_q - logdet
    return np.mean(log_q - log_banana(z))


rng = np.random.default_rng(704)
D, M = 2, 2
layers = [
    {"A": rng.standard_normal((D, M)), "R1": 0.3 * rng.standard_normal((M, M)),
     "R2": 0.3 * rng.standard_normal((M, M)), "d1": 0.5 + 0.1 * rng.standard_normal(M),
     "d2": 0.5 + 0.1 * rng.standard_normal(M), "b": 0.1 * rng.standard_normal(M)}
    for _ in range(3)
]
eps = rng.standard_normal((64, D))

f = reverse_kl
ARGS = (layers, eps)
