"""Particle-size distribution fit: log-normal diameters generated from fixed base noise, a linearly
binned (cloud-in-cell) histogram of log-diameters using np.searchsorted for the bin and
np.bincount(weights=...) for the two-sided deposits, KL divergence to a measured histogram."""
import numpy as np


def cic_histogram(samples, centers):
    h = centers[1] - centers[0]
    idx = np.clip(np.searchsorted(centers, samples) - 1, 0, len(centers) - 2)
    frac = np.clip((samples - centers[idx]) / h, 0.0, 1.0)
    hist = (np.bincount(idx, weights=1.0 - frac, minlength=len(centers))
            + np.bincount(idx + 1, weights=frac, minlength=len(centers)))
    return hist / hist.sum()


def psd_loss(params, base_noise, measured, centers):
    log_d = params["mu"] + params["sigma"] * base_noise
    p = cic_histogram(log_d, centers)
    return np.sum(measured * (np.log(measured + 1e-9) - np.log(p + 1e-9)))


rng = np.random.default_rng(630)
centers = np.linspace(-1.0, 3.0, 25)
base_noise = rng.standard_normal(400)
measured = cic_histogram(1.1 + 0.45 * rng.standard_normal(4000), centers)
params = {"mu": 0.9, "sigma": 0.55}

f = psd_loss
ARGS = (params, base_noise, measured, centers)
