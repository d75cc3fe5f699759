"""Wavelet shrinkage denoising (Donoho-Johnstone style) with a hand-written multi-level orthonormal
Haar transform: approximation/detail coefficients from even/odd slices, detail bands kept in a list,
per-level soft thresholds sign(d) * max(|d| - t, 0), inverse transform interleaving with np.empty
and slice assignment.  The thresholds are tuned against a clean reference: the loss is the mean
squared reconstruction error plus a small penalty, differentiated w.r.t. the threshold vector."""
import numpy as np


def haar_forward(x, levels):
    details = []
    a = x
    for _ in range(levels):
        even, odd = a[0::2], a[1::2]
        details.append((even - odd) / np.sqrt(2.0))
        a = (even + odd) / np.sqrt(2.0)
    return a, details


def haar_inverse(a, details):
    for d in reversed(details):
        out = np.empty(2 * len(a))
        out[0::2] = (a + d) / np.sqrt(2.0)
        out[1::2] = (a - d) / np.sqrt(2.0)
        a = out
    return a


def soft(d, t):
    return np.sign(d) * np.maximum(np.abs(d) - t, 0.0)


def denoise_loss(thresholds, noisy, clean):
    a, details = haar_forward(noisy, len(thresholds))
    shrunk = [soft(d, t) for d, t in zip(details, thresholds)]
    rec = haar_inverse(a, shrunk)
    return np.mean((rec - clean) ** 2) + 1e-3 * np.sum(thresholds ** 2)


rng = np.random.default_rng(7)
tgrid = np.linspace(0, 1, 128)
clean = np.sin(6 * np.pi * tgrid) + (tgrid > 0.5) * 0.8
noisy = clean + 0.25 * rng.standard_normal(128)
f = denoise_loss
ARGS = (np.array([0.35, 0.3, 0.25, 0.2]), noisy, clean)
