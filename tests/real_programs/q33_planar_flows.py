"""Normalising flow of planar layers (Rezende & Mohamed 2015) fitted by reverse KL to an unnormalised
2-d density; each layer a dict (u, w, b), the u-hat reparametrisation for invertibility, log-det
accumulated, base samples drawn with np.random."""
import numpy as np

def m(x):
    return -1 + np.log1p(np.exp(x))

def planar(z, layer):
    u, w, b = layer["u"], layer["w"], layer["b"]
    wu = w @ u
    u_hat = u + (m(wu) - wu) * w / (w @ w)
    lin = z @ w + b
    h = np.tanh(lin)
    z_new = z + h[:, None] * u_hat[None, :]
    psi = (1 - h ** 2)[:, None] * w[None, :]
    logdet = np.log(np.abs(1 + psi @ u_hat) + 1e-8)
    return z_new, logdet

def log_target(z):
    r = np.sqrt(np.sum(z ** 2, axis=1))
    return -0.5 * ((r - 2.0) / 0.4) ** 2

def reverse_kl(flows, n=64):
    z = np.random.randn(n, 2)
    log_q = -0.5 * np.sum(z ** 2, axis=1) - np.log(2 * np.pi)
    for layer in flows:
        z, ld = planar(z, layer)
        log_q = log_q - ld
    return np.mean(log_q - log_target(z))

rng = np.random.default_rng(33)
flows = [{"u": 0.5 * rng.standard_normal(2), "w": rng.standard_normal(2), "b": 0.1 * rng.standard_normal()}
         for _ in range(4)]
f = reverse_kl
SEEDED = True
ARGS = (flows,)
