"""Learnable Gabor filter bank for texture energy: kernels built on np.mgrid from (sigma, theta,
lambda, psi, gamma) dicts passed as **kwargs, applied with scipy.signal.convolve2d (mode='same',
symmetric boundary), quadrature energy compared with a target energy map."""
import numpy as np
from scipy.signal import convolve2d


def gabor(sigma, theta, lam, psi, gamma, size=7):
    half = size // 2
    y, x = np.mgrid[-half:half + 1, -half:half + 1]
    xr = x * np.cos(theta) + y * np.sin(theta)
    yr = -x * np.sin(theta) + y * np.cos(theta)
    return np.exp(-(xr ** 2 + gamma ** 2 * yr ** 2) / (2 * sigma ** 2)) * np.cos(2 * np.pi * xr / lam + psi)


def texture_loss(bank, img, target):
    responses = [convolve2d(img, gabor(**p), mode="same", boundary="symm") for p in bank]
    energy = sum(r ** 2 for r in responses)
    return np.mean((np.sqrt(energy + 1e-8) - target) ** 2)


rng = np.random.default_rng(611)
yy, xx = np.mgrid[0:24, 0:24]
img = np.sin(0.8 * xx + 0.3 * yy) * (xx < 12) + np.sin(0.5 * yy) * (xx >= 12) + 0.1 * rng.standard_normal((24, 24))
true_bank = [dict(sigma=2.0, theta=0.35, lam=7.5, psi=0.0, gamma=0.6),
             dict(sigma=2.0, theta=0.35, lam=7.5, psi=np.pi / 2, gamma=0.6)]
target = np.sqrt(sum(convolve2d(img, gabor(**p), mode="same", boundary="symm") ** 2 for p in true_bank))
bank = [dict(sigma=1.7, theta=0.5, lam=6.0, psi=0.1, gamma=0.7),
        dict(sigma=1.9, theta=0.3, lam=8.0, psi=1.4, gamma=0.5)]

f = texture_loss
ARGS = (bank, img, target)
