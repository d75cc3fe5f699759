"""Exoplanet transit fitting: a circular orbit's sky-projected separation, quadratic limb darkening
in the small-planet approximation with a linear ingress/egress ramp from np.clip, the transit only
where the planet is in front (np.where on cos(phase) > 0); chi-square against a noisy light curve
over [t0, log rp, a, inclination, u1, u2]."""
import numpy as np


def transit_flux(t, t0, period, rp, a, inc, u1, u2):
    phase = 2 * np.pi * (t - t0) / period
    x = a * np.sin(phase)
    y = a * np.cos(phase) * np.cos(inc)
    z = np.sqrt(x ** 2 + y ** 2)
    r = np.clip(z, 0.0, 1.0)
    mu = np.sqrt(np.maximum(1.0 - r ** 2, 1e-12))
    intensity = 1.0 - u1 * (1.0 - mu) - u2 * (1.0 - mu) ** 2
    norm = 1.0 - u1 / 3.0 - u2 / 6.0
    covered = np.clip((1.0 + rp - z) / (2.0 * rp), 0.0, 1.0)
    depth = np.where(np.cos(phase) > 0, rp ** 2 * intensity / norm * covered, 0.0)
    return 1.0 - depth


def chi2(theta, t, flux, err, period=3.5):
    t0, log_rp, a, inc, u1, u2 = theta
    model = transit_flux(t, t0, period, np.exp(log_rp), a, inc, u1, u2)
    return np.sum(((flux - model) / err) ** 2)


rng = np.random.default_rng(729)
t = np.linspace(-0.2, 0.2, 120)
flux = transit_flux(t, 0.003, 3.5, 0.1, 9.0, np.radians(88.5), 0.4, 0.25) + 2e-4 * rng.standard_normal(120)
f = chi2
ARGS = (np.array([0.0, np.log(0.09), 8.7, np.radians(88.3), 0.35, 0.2]), t, flux, 2e-4)
