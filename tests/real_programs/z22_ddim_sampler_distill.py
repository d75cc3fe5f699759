"""Diffusion model sampling: a small MLP noise predictor eps(x, t) with a sinusoidal time embedding
(np.tile / broadcasting), the cosine noise schedule (alpha_bar from squared cosines, betas clipped),
and the deterministic DDIM sampler run from fixed noise over a strided reversed timestep list;
the loss pulls the samples toward a two-point target distribution with a soft minimum over the
targets (logaddexp.reduce) -- a sample-quality objective of the kind used to fine-tune samplers.
The network config is forwarded with **kwargs.  Differentiated w.r.t. the network params."""
import numpy as np

T = 50


def cosine_schedule(T, s=0.008):
    t = np.linspace(0, T, T + 1)
    f = np.cos((t / T + s) / (1 + s) * np.pi / 2) ** 2
    alpha_bar = f / f[0]
    betas = np.clip(1 - alpha_bar[1:] / alpha_bar[:-1], 0.0, 0.999)
    return np.cumprod(1.0 - betas)


def time_embedding(t, dim=8):
    freqs = np.exp(-np.log(1000.0) * np.arange(dim // 2) / (dim // 2))
    ang = t * freqs
    return np.concatenate([np.sin(ang), np.cos(ang)])


def eps_model(params, x, t, **cfg):
    emb = np.tile(time_embedding(t, **cfg), (x.shape[0], 1))
    h = np.concatenate([x, emb], axis=1)
    h = np.tanh(h @ params["W1"] + params["b1"])
    h = np.tanh(h @ params["W2"] + params["b2"])
    return h @ params["W3"]


def ddim_sample(params, xT, stride=5, cfg=None):
    cfg = cfg or {"dim": 8}
    abar = cosine_schedule(T)
    x = xT
    steps = list(range(T - 1, -1, -stride))
    for i, t in enumerate(steps):
        a_t = abar[t]
        a_prev = abar[steps[i + 1]] if i + 1 < len(steps) else 1.0
        eps = eps_model(params, x, t, **cfg)
        x0 = (x - np.sqrt(1 - a_t) * eps) / np.sqrt(a_t)
        x0 = np.clip(x0, -3.0, 3.0)
        x = np.sqrt(a_prev) * x0 + np.sqrt(1 - a_prev) * eps
    return x


def sample_loss(params, xT, targets, temp=0.05):
    x = ddim_sample(params, xT)
    d2 = np.sum((x[:, None, :] - targets[None, :, :]) ** 2, axis=-1)
    soft_min = -temp * np.logaddexp.reduce(-d2 / temp, axis=1)
    return soft_min.mean()


rng = np.random.default_rng(22)
d, h = 2, 24
params = {"W1": rng.standard_normal((d + 8, h)) * 0.3, "b1": np.zeros(h),
          "W2": rng.standard_normal((h, h)) * 0.2, "b2": 0.1 * rng.standard_normal(h),
          "W3": rng.standard_normal((h, d)) * 0.2}
f = sample_loss
ARGS = (params, rng.standard_normal((16, d)), np.array([[1.0, 1.0], [-1.0, -0.5]]))
