"""DDPM training loss: linear beta schedule with np.cumprod for alpha-bar, timesteps drawn with
np.random.randint, Gaussian noise from np.random.randn, sinusoidal time embedding, an MLP epsilon
predictor stored as a list of (W, b) tuples with SiLU, configured by a dict-of-lists CONFIG."""
import math

import numpy as np

CONFIG = {"hidden": [32, 32], "timesteps": [100], "beta_range": [1e-4, 0.02], "emb_dim": [8]}
T_STEPS = CONFIG["timesteps"][0]
BETAS = np.linspace(*CONFIG["beta_range"], T_STEPS)
ALPHAS_BAR = np.cumprod(1.0 - BETAS)


def time_embedding(t, dim=CONFIG["emb_dim"][0]):
    half = dim // 2
    freqs = np.exp(-math.log(1000.0) * np.arange(half) / half)
    args = t[:, None] * freqs[None, :]
    return np.concatenate([np.sin(args), np.cos(args)], axis=-1)


def silu(x):
    return x / (1.0 + np.exp(-x))


def ddpm_loss(params, x0):
    t = np.random.randint(0, T_STEPS, size=len(x0))
    eps = np.random.randn(*x0.shape)
    ab = ALPHAS_BAR[t]
    xt = np.sqrt(ab)[:, None] * x0 + np.sqrt(1.0 - ab)[:, None] * eps
    h = np.concatenate([xt, time_embedding(t / T_STEPS * 100.0)], axis=1)
    for W, b in params[:-1]:
        h = silu(h @ W + b)
    W, b = params[-1]
    return np.mean((h @ W + b - eps) ** 2)


rng = np.random.default_rng(624)
theta = rng.uniform(0, 2 * np.pi, 64)
x0 = np.column_stack([np.cos(theta), np.sin(theta)]) + 0.05 * rng.standard_normal((64, 2))
sizes = [2 + CONFIG["emb_dim"][0]] + CONFIG["hidden"] + [2]
params = [(rng.standard_normal((a, b)) / np.sqrt(a), np.zeros(b)) for a, b in zip(sizes[:-1], sizes[1:])]

f = ddpm_loss
ARGS = (params, x0)
SEEDED = True
