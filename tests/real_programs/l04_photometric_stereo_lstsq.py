"""Photometric stereo with uncalibrated lights: light directions from (elevation, azimuth) angles,
surface normals scaled by albedo recovered per pixel by np.linalg.lstsq(L, I, rcond=None), albedo as
np.linalg.norm(G, axis=0), unit normals compared with known ones on a calibration sphere."""
import numpy as np


def light_dirs(angles):
    el, az = angles[:, 0], angles[:, 1]
    return np.stack([np.cos(el) * np.cos(az), np.cos(el) * np.sin(az), np.sin(el)], axis=1)


def stereo_loss(angles, I, n_true):
    L = light_dirs(angles)
    G, res, rank, sv = np.linalg.lstsq(L, I, rcond=None)
    albedo = np.linalg.norm(G, axis=0)
    n_hat = G / albedo
    cos = np.sum(n_hat * n_true, axis=0)
    recon = L @ G - I
    return np.mean(1 - cos) + 0.1 * np.mean(recon ** 2) + 0.01 * np.var(albedo)


rng = np.random.default_rng(104)
P = 30
phi = rng.uniform(0, 2 * np.pi, P)
th = rng.uniform(0.1, 0.9, P)
n_true = np.stack([np.sin(th) * np.cos(phi), np.sin(th) * np.sin(phi), np.cos(th)])
alb = rng.uniform(0.5, 1.0, P)
true_angles = np.array([[0.9, 0.0], [0.8, 2.0], [1.0, 4.0], [0.7, 1.0], [1.1, 3.0]])
I = (light_dirs(true_angles) @ (n_true * alb)) + 0.01 * rng.standard_normal((5, P))
angles = true_angles + 0.05 * rng.standard_normal(true_angles.shape)

f = stereo_loss
ARGS = (angles, I, n_true)
