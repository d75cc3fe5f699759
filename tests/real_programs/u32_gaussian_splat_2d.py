"""2-D Gaussian splatting: each splat's covariance R S S R^T is built as a batch of 2x2 matrices,
inverted with batched np.linalg.inv, normalised with batched np.linalg.det, evaluated at pixels with
np.einsum over ellipsis dimensions, alpha-composited front to back with np.cumprod."""
import numpy as np


def covariances(angles, log_scales):
    c, s = np.cos(angles), np.sin(angles)
    R = np.stack([np.stack([c, -s], -1), np.stack([s, c], -1)], -2)
    S = np.exp(log_scales)[..., None, :] * np.eye(2)
    M = R @ S
    return np.einsum("...ij,...kj->...ik", M, M)


def render(splats, H=16, W=16):
    ys, xs = np.mgrid[0:H, 0:W] / np.array([H, W])[:, None, None]
    pix = np.stack([xs, ys], -1)
    cov = covariances(splats["angle"], splats["log_scale"])
    inv = np.linalg.inv(cov)
    norm = 1.0 / (2 * np.pi * np.sqrt(np.linalg.det(cov)))
    d = pix[None] - splats["mean"][:, None, None, :]
    maha = np.einsum("n...i,nij,n...j->n...", d, inv, d)
    alpha = splats["opacity"][:, None, None] * np.exp(-0.5 * maha)
    transmit = np.cumprod(np.concatenate([np.ones((1, H, W)), 1 - alpha[:-1]]), axis=0)
    return np.einsum("nhw,nhw,nc->hwc", alpha, transmit, splats["color"]), norm


def splat_loss(splats, target):
    img, norm = render(splats)
    return np.mean((img - target) ** 2) + 1e-4 * np.sum(norm)


rng = np.random.default_rng(632)
n = 5
true = {"mean": rng.uniform(0.2, 0.8, (n, 2)), "log_scale": np.log(rng.uniform(0.05, 0.15, (n, 2))),
        "angle": rng.uniform(0, np.pi, n), "opacity": rng.uniform(0.5, 0.9, n), "color": rng.uniform(0, 1, (n, 3))}
target = render(true)[0]
splats = {k: v + 0.05 * rng.standard_normal(v.shape) for k, v in true.items()}

f = splat_loss
ARGS = (splats, target)
