"""Dynamic range compressor fitted to a processed recording: attack/release envelope follower whose
coefficient is picked per sample (math.exp of the time constants), soft-knee gain computer in dB,
written with an explicit sample loop into a preallocated array."""
import math

import numpy as np

SR = 8000


def compressor(params, x):
    att = math.exp(-1.0 / (params["attack_ms"] * 1e-3 * SR))
    rel = math.exp(-1.0 / (params["release_ms"] * 1e-3 * SR))
    level = np.abs(x)
    env = np.zeros_like(x)
    e = 0.0
    for n in range(len(x)):
        coef = att if level[n] > e else rel
        e = coef * e + (1.0 - coef) * level[n]
        env[n] = e
    db = 20 * np.log10(env + 1e-6)
    over = db - params["threshold"]
    knee, slope = params["knee"], 1.0 / params["ratio"] - 1.0
    gain_db = np.where(over <= -knee / 2, 0.0,
                       np.where(over >= knee / 2, slope * over, slope * (over + knee / 2) ** 2 / (2 * knee)))
    return x * 10 ** (gain_db / 20) * 10 ** (params["makeup"] / 20)


def fit_loss(params, x, target):
    y = compressor(params, x)
    return np.mean((y - target) ** 2) * 1e3


rng = np.random.default_rng(610)
t = np.arange(600) / SR
x = np.sin(2 * np.pi * 220 * t) * np.where(t < 0.03, 0.2, 0.9) * (1 + 0.1 * rng.standard_normal(600))
true = {"attack_ms": 3.0, "release_ms": 40.0, "threshold": -12.0, "knee": 6.0, "ratio": 4.0, "makeup": 2.0}
target = compressor(true, x)
params = {"attack_ms": 4.0, "release_ms": 30.0, "threshold": -10.0, "knee": 5.0, "ratio": 3.0, "makeup": 1.0}

f = fit_loss
ARGS = (params, x, target)
