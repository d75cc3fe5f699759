"""Variational inference with a stack of radial flows (Rezende & Mohamed 2015): base samples drawn
with np.random.randn inside the loss (SEEDED), each flow z' = z + beta h(alpha, r)(z - z0) with
alpha = softplus(a) and beta = -alpha + softplus(b) for invertibility, the log-det-Jacobian
(d-1) log(1 + beta h) + log(1 + beta h + beta h' r) accumulated over a list of flow dicts, and the
reverse KL to an unnormalised banana-shaped target density.  Differentiated w.r.t. the list of
flows."""
import numpy as np


def softplus(x):
    return np.log1p(np.exp(x))


def radial(flow, z):
    d = z.shape[1]
    alpha = softplus(flow["a"])
    beta = -alpha + softplus(flow["b"])
    diff = z - flow["z0"]
    r = np.sqrt(np.sum(diff ** 2, axis=1))
    h = 1.0 / (alpha + r)
    dh = -h ** 2
    z_new = z + (beta * h)[:, None] * diff
    logdet = (d - 1) * np.log1p(beta * h) + np.log1p(beta * h + beta * dh * r)
    return z_new, logdet


def log_target(z):
    x, y = z[:, 0], z[:, 1]
    return -0.5 * x ** 2 / 4.0 - 0.5 * (y - 0.3 * x ** 2 + 1.0) ** 2 / 0.5


def reverse_kl(flows, n=256):
    z = np.random.randn(n, 2)
    log_q = -0.5 * np.sum(z ** 2, axis=1) - np.log(2 * np.pi)
    for flow in flows:
        z, logdet = radial(flow, z)
        log_q = log_q - logdet
    return np.mean(log_q - log_target(z))


rng = np.random.default_rng(30)
flows = [{"z0": rng.normal(0, 1, 2), "a": 0.5, "b": 1.0 + 0.3 * k} for k in range(4)]
f = reverse_kl
ARGS = (flows,)
SEEDED = True
