"""Photometric material estimation: a sphere's normals, light directions (a list of
LightSource named tuples with direction and RGB intensity) and the view direction are known, the
Blinn-Phong BRDF (Lambert diffuse albedo per channel, specular weight, shininess through exp) is
evaluated per light with the half vector normalised by np.linalg.norm(..., keepdims=True), the
radiance tone-mapped with a Reinhard curve and gamma 1/2.2; the loss is the mean squared error to
photographs, differentiated w.r.t. a Material named tuple of arrays/floats."""
from typing import NamedTuple

import numpy as np


class Material(NamedTuple):
    albedo: np.ndarray
    specular: float
    log_shininess: float


class LightSource(NamedTuple):
    direction: np.ndarray
    color: np.ndarray


def normalize(v):
    return v / np.linalg.norm(v, axis=-1, keepdims=True)


def shade(mat, normals, view, lights):
    radiance = np.full((len(normals), 3), 0.02) * mat.albedo[None, :]  # ambient
    shininess = np.exp(mat.log_shininess)
    for light in lights:
        l = normalize(light.direction)
        n_dot_l = np.maximum(normals @ l, 0.0)
        h = normalize(l + view)
        n_dot_h = np.maximum(normals @ h, 0.0)
        diffuse = mat.albedo[None, :] / np.pi * n_dot_l[:, None]
        spec = mat.specular * (shininess + 8) / (8 * np.pi) * n_dot_h[:, None] ** shininess
        radiance = radiance + (diffuse + spec) * light.color[None, :] * n_dot_l[:, None]
    mapped = radiance / (1.0 + radiance)
    return mapped ** (1 / 2.2)


def photometric_loss(mat, normals, view, lights, photos):
    return sum(np.mean((shade(mat, normals, view, lights[i:i + 1]) - photo) ** 2) for i, photo in enumerate(photos))


rng = np.random.default_rng(1212)
theta = rng.uniform(0.0, 0.45 * np.pi, 150)
phi = rng.uniform(0.0, 2 * np.pi, 150)
normals = np.stack([np.sin(theta) * np.cos(phi), np.sin(theta) * np.sin(phi), np.cos(theta)], axis=1)
view = np.array([0.0, 0.0, 1.0])
lights = [LightSource(np.array([0.3, 0.2, 1.0]), np.array([3.0, 3.0, 3.0])),
          LightSource(np.array([-0.5, 0.4, 0.8]), np.array([2.0, 1.8, 1.5])),
          LightSource(np.array([0.1, -0.7, 0.7]), np.array([1.0, 1.2, 1.6]))]
truth = Material(np.array([0.7, 0.35, 0.2]), 0.6, np.log(40.0))
photos = [shade(truth, normals, view, [L]) for L in lights]
f = photometric_loss
ARGS = (Material(np.array([0.5, 0.5, 0.5]), 0.3, np.log(20.0)), normals, view, lights, photos)
