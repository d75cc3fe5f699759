"""Soft rasterisation of two coloured triangles (SoftRas-style): per-pixel coverage is the product
of sigmoids of the signed edge functions, triangles are composited front to back, and the image
is compared with a target rendering."""
import numpy as np
from scipy.special import expit

H = W = 24
SIGMA = 0.02


def pixel_centers(h=H, w=W):
    ys, xs = np.meshgrid((np.arange(h) + 0.5) / h, (np.arange(w) + 0.5) / w, indexing="ij")
    return np.stack([xs, ys], axis=-1)          # (h, w, 2)


def edge_function(p, a, b):
    return (b[0] - a[0]) * (p[..., 1] - a[1]) - (b[1] - a[1]) * (p[..., 0] - a[0])


def coverage(p, tri, sigma=SIGMA):
    a, b, c = tri[0], tri[1], tri[2]
    area = edge_function(c[None, :], a, b)[0]
    sign = np.sign(area)
    cov = np.ones(p.shape[:2])
    for v0, v1 in ((a, b), (b, c), (c, a)):
        cov = cov * expit(sign * edge_function(p, v0, v1) / (sigma * np.abs(area) ** 0.5))
    return cov


def render(scene, background=np.array([1.0, 1.0, 1.0])):
    p = pixel_centers()
    image = np.zeros((H, W, 3))
    transmittance = np.ones((H, W))
    for tri, color in zip(scene["triangles"], scene["colors"]):
        alpha = coverage(p, tri)
        image += (transmittance * alpha)[..., None] * color
        transmittance = transmittance * (1 - alpha)
    return image + transmittance[..., None] * background


def image_loss(scene, target):
    return np.mean((render(scene) - target) ** 2)


target_scene = {"triangles": [np.array([[0.2, 0.2], [0.8, 0.3], [0.4, 0.85]]),
                              np.array([[0.5, 0.1], [0.9, 0.6], [0.6, 0.7]])],
                "colors": [np.array([0.9, 0.2, 0.1]), np.array([0.1, 0.3, 0.8])]}
target = render(target_scene)
scene = {"triangles": [t + 0.05 for t in target_scene["triangles"]],
         "colors": [np.array([0.7, 0.4, 0.3]), np.array([0.3, 0.3, 0.6])]}

f = image_loss
ARGS = (scene, target)
