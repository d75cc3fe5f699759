"""Differentiable sphere tracing of a signed-distance scene (a sphere and a smooth-min blended
ground plane) along a scanline of camera rays: a fixed number of marching steps, normals from
central differences of the SDF, Lambertian shading, loss against a target scanline w.r.t. the
sphere's centre and radius."""
import numpy as np


def smooth_min(a, b, k=0.3):
    return -k * np.log(np.exp(-a / k) + np.exp(-b / k))


def scene_sdf(p, sphere):
    center, radius = sphere
    d_sphere = np.linalg.norm(p - center, axis=-1) - radius
    d_ground = p[..., 1] + 1.0
    return smooth_min(d_sphere, d_ground)


def normals(p, sphere, h=1e-3):
    grads = []
    for k in range(3):
        e = np.zeros(3)
        e[k] = h
        grads.append(scene_sdf(p + e, sphere) - scene_sdf(p - e, sphere))
    n = np.stack(grads, axis=-1)
    return n / np.linalg.norm(n, axis=-1, keepdims=True)


def render(sphere, n_pix=16, n_steps=24):
    xs = np.linspace(-0.8, 0.8, n_pix)
    dirs = np.stack([xs, -0.3 * np.ones(n_pix), np.ones(n_pix)], axis=-1)
    dirs = dirs / np.linalg.norm(dirs, axis=-1, keepdims=True)
    origin = np.array([0.0, 0.5, -3.0])
    t = np.zeros(n_pix)
    for _ in range(n_steps):
        p = origin + t[:, None] * dirs
        t = t + scene_sdf(p, sphere)
    p = origin + t[:, None] * dirs
    light = np.array([0.4, 0.8, -0.45])
    shade = np.clip(normals(p, sphere) @ light, 0.0, None)
    return shade * np.exp(-0.1 * t)


def image_loss(center, radius, target):
    return np.sum((render((center, radius)) - target) ** 2)


target = render((np.array([0.2, 0.0, 0.5]), 0.9))
f = image_loss
KW = dict(wrt=("center", "radius"))
ARGS = (np.array([0.0, 0.1, 0.6]), 0.8, target)
