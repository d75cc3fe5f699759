"""Differentiable rendering of one sphere by ray casting: a pinhole camera's rays from np.meshgrid,
ray-sphere intersection by the quadratic's discriminant, Lambertian shading with np.clip(.., 0,
None), and a sigmoid of the discriminant as a soft silhouette; the sphere's centre, radius and the
light direction are fitted to a target image."""
import numpy as np


def render(center, radius, light_dir, H=16, W=16, fov=0.6, sharpness=40.0, ambient=0.1):
    ys, xs = np.meshgrid(np.linspace(-fov, fov, H), np.linspace(-fov, fov, W), indexing="ij")
    dirs = np.stack([xs, -ys, -np.ones_like(xs)], axis=-1)
    dirs = dirs / np.linalg.norm(dirs, axis=-1, keepdims=True)
    oc = -center
    b = dirs @ oc
    c = oc @ oc - radius ** 2
    disc = b ** 2 - c
    t = -b - np.sqrt(np.maximum(disc, 1e-6))
    hit = dirs * t[..., None]
    normal = (hit - center) / radius
    light = light_dir / np.linalg.norm(light_dir)
    shade = np.clip(normal @ light, 0.0, None)
    coverage = 1.0 / (1.0 + np.exp(-sharpness * disc))
    return coverage * (ambient + (1 - ambient) * shade)


def image_loss(center, radius, light_dir, target):
    img = render(center, radius, light_dir)
    return np.mean((img - target) ** 2)


target = render(np.array([0.1, -0.05, -3.0]), 0.8, np.array([0.5, 0.7, 1.0]))
f = image_loss
KW = dict(wrt=("center", "radius", "light_dir"))
ARGS = (np.array([0.0, 0.1, -3.2]), 0.7, np.array([0.2, 0.9, 1.0]), target)
