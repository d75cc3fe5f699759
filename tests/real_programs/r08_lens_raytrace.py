"""Optimising a singlet lens: a collimated fan of rays is traced through two spherical surfaces
with the vector form of Snell's law, and the RMS spot radius on the image plane is minimised over
the radii of curvature, the thickness and the image distance."""
import numpy as np

N_GLASS = 1.5168


def intersect_sphere(o, d, vertex_z, R):
    center = np.array([0.0, 0.0, vertex_z + R])
    oc = o - center
    b = np.sum(oc * d, axis=1)
    c = np.sum(oc * oc, axis=1) - R ** 2
    t = -b - np.sign(R) * np.sqrt(b * b - c)
    p = o + t[:, None] * d
    normal = (p - center) / R
    return p, normal


def refract(d, n, eta):
    cos_i = -np.sum(n * d, axis=1, keepdims=True)
    k = 1.0 - eta ** 2 * (1.0 - cos_i ** 2)
    return eta * d + (eta * cos_i - np.sqrt(k)) * n


def trace(lens, heights):
    o = np.stack([heights[:, 0], heights[:, 1], np.full(len(heights), -1.0)], axis=1)
    d = np.tile(np.array([0.0, 0.0, 1.0]), (len(heights), 1))
    p, n = intersect_sphere(o, d, 0.0, lens["R1"])
    d = refract(d, n, 1.0 / N_GLASS)
    p, n = intersect_sphere(p, d, lens["thickness"], lens["R2"])
    d = refract(d, n, N_GLASS)
    t = (lens["thickness"] + lens["image_distance"] - p[:, 2]) / d[:, 2]
    return p[:, :2] + t[:, None] * d[:, :2]


def spot_loss(lens, heights, focal_target=10.0):
    xy = trace(lens, heights)
    rms = np.sqrt(np.mean(np.sum((xy - xy.mean(axis=0)) ** 2, axis=1)))
    return rms + 0.01 * (lens["image_distance"] - focal_target) ** 2


r = np.linspace(0.2, 1.0, 5)
phi = np.linspace(0, 2 * np.pi, 8, endpoint=False)
heights = np.array([(ri * np.cos(p), ri * np.sin(p)) for ri in r for p in phi])
lens = {"R1": 10.0, "R2": -12.0, "thickness": 1.5, "image_distance": 10.5}

f = spot_loss
ARGS = (lens, heights)
