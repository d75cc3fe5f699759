"""NeRF-style volume rendering in 2-D: points sampled along camera rays, sin/cos positional
encoding fed to a small MLP giving density (softplus) and colour (sigmoid), alpha compositing with
an exclusive transmittance from np.cumprod, and a photometric loss on the rendered pixels."""
import numpy as np


def encode(x, n_freq=3):
    freqs = 2.0 ** np.arange(n_freq) * np.pi
    ang = x[..., None] * freqs
    return np.concatenate([x, np.sin(ang).reshape(*x.shape[:-1], -1), np.cos(ang).reshape(*x.shape[:-1], -1)],
                          axis=-1)


def field(params, pts):
    h = encode(pts)
    for W, b in params["hidden"]:
        h = np.maximum(h @ W + b, 0.0)
    out = h @ params["W_out"] + params["b_out"]
    sigma = np.log1p(np.exp(out[..., 0]))
    rgb = 1.0 / (1.0 + np.exp(-out[..., 1:]))
    return sigma, rgb


def render(params, origins, dirs, near=0.0, far=2.0, n_samples=16):
    t = np.linspace(near, far, n_samples)
    pts = origins[:, None, :] + t[None, :, None] * dirs[:, None, :]
    sigma, rgb = field(params, pts)
    delta = np.append(np.diff(t), 1e10)
    alpha = 1.0 - np.exp(-sigma * delta[None, :])
    trans = np.cumprod(1.0 - alpha + 1e-10, axis=1)
    trans = np.concatenate([np.ones((len(origins), 1)), trans[:, :-1]], axis=1)
    weights = alpha * trans
    return np.sum(weights[..., None] * rgb, axis=1)


def photometric_loss(params, origins, dirs, target):
    return np.mean((render(params, origins, dirs) - target) ** 2)


rng = np.random.default_rng(536)
n_rays = 10
angles = np.linspace(-0.4, 0.4, n_rays)
origins = np.column_stack([np.full(n_rays, -1.0), np.linspace(-0.5, 0.5, n_rays)])
dirs = np.column_stack([np.cos(angles), np.sin(angles)])
target = rng.random((n_rays, 3))
d_in = 2 + 2 * 2 * 3
params = {"hidden": [(rng.standard_normal((d_in, 16)) * 0.4, 0.1 * rng.standard_normal(16)),
                     (rng.standard_normal((16, 16)) * 0.3, 0.1 * rng.standard_normal(16))],
          "W_out": rng.standard_normal((16, 4)) * 0.3, "b_out": np.array([0.5, 0.0, 0.0, 0.0])}

f = photometric_loss
ARGS = (params, origins, dirs, target)
