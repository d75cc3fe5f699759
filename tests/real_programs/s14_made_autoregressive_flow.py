"""Masked autoregressive flow with MADE conditioners: degree-based binary masks built from
np.arange comparisons, each layer outputs shift and log-scale, x -> z = (x - mu) * exp(-alpha),
the order reversed between layers with [:, ::-1]; log-likelihood under a standard normal base
plus the summed log-determinants."""
import numpy as np


def made_masks(D, H):
    deg_in = np.arange(1, D + 1)
    deg_hid = (np.arange(H) % (D - 1)) + 1
    M1 = (deg_hid[None, :] >= deg_in[:, None]).astype(float)     # (D, H)
    M2 = (deg_in[None, :] > deg_hid[:, None]).astype(float)      # (H, D)
    return M1, M2


def made(x, layer, masks):
    M1, M2 = masks
    h = np.tanh(x @ (layer["W1"] * M1) + layer["b1"])
    mu = h @ (layer["W_mu"] * M2) + layer["b_mu"]
    alpha = np.tanh(h @ (layer["W_a"] * M2) + layer["b_a"])   # bounded log-scale
    return mu, alpha


def maf_nll(layers, X):
    D = X.shape[1]
    masks = made_masks(D, layers[0]["W1"].shape[1])
    z = X
    log_det = np.zeros(X.shape[0])
    for k, layer in enumerate(layers):
        mu, alpha = made(z, layer, masks)
        z = (z - mu) * np.exp(-alpha)
        log_det = log_det - alpha.sum(axis=1)
        if k < len(layers) - 1:
            z = z[:, ::-1]
    log_base = -0.5 * np.sum(z ** 2, axis=1) - 0.5 * D * np.log(2 * np.pi)
    return -np.mean(log_base + log_det)


rng = np.random.default_rng(14)
N, D, H = 40, 3, 8
u = rng.standard_normal((N, D))
X = np.column_stack([u[:, 0], u[:, 1] + 0.5 * u[:, 0] ** 2, 0.3 * u[:, 2] + np.sin(u[:, 1])])
layers = [{"W1": 0.3 * rng.standard_normal((D, H)), "b1": np.zeros(H),
           "W_mu": 0.3 * rng.standard_normal((H, D)), "b_mu": np.zeros(D),
           "W_a": 0.3 * rng.standard_normal((H, D)), "b_a": np.zeros(D)} for _ in range(3)]

f = maf_nll
ARGS = (layers, X)
