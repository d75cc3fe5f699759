"""Tune a bilateral image filter: spatial and range bandwidths (log-parameterized in a dict) of a
5x5 bilateral filter written with np.pad and shifted views; loss is the denoising error against
the clean image."""
import numpy as np


def bilateral(img, sigma_s, sigma_r, radius=2):
    H, W = img.shape
    padded = np.pad(img, radius, mode="reflect")
    num = np.zeros_like(img)
    den = np.zeros_like(img)
    for dy in range(-radius, radius + 1):
        for dx in range(-radius, radius + 1):
            nb = padded[radius + dy:radius + dy + H, radius + dx:radius + dx + W]
            w = np.exp(-(dx * dx + dy * dy) / (2 * sigma_s ** 2) - (nb - img) ** 2 / (2 * sigma_r ** 2))
            num += w * nb
            den += w
    return num / den


def denoise_loss(params, noisy, clean):
    out = bilateral(noisy, np.exp(params["log_sigma_s"]), np.exp(params["log_sigma_r"]))
    return np.mean((out - clean) ** 2)


rng = np.random.default_rng(506)
yy, xx = np.mgrid[0:16, 0:16]
clean = (xx > 7).astype(float) * 0.8 + 0.1 * np.sin(yy / 3.0)
noisy = clean + 0.08 * rng.standard_normal(clean.shape)

f = denoise_loss
ARGS = ({"log_sigma_s": np.log(1.2), "log_sigma_r": np.log(0.15)}, noisy, clean)
