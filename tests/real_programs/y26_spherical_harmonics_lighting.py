"""Inverse rendering of diffuse lighting: real spherical harmonics up to band 2 (normalisation
constants K(l, m) from factorials, cached with functools.lru_cache) are evaluated at sampled
directions; a synthetic environment light made of two directional lobes (directions from
spherical angles, von Mises-Fisher-like exp(kappa (d.w - 1)) lobes) is projected onto the SH basis
by least squares (np.linalg.lstsq), convolved with the clamped-cosine kernel (Ramamoorthi &
Hanrahan's A_l) and rendered on surface normals; the loss matches observed pixel radiance,
differentiated w.r.t. the lobe parameters."""
import functools
import math

import numpy as np

A_HAT = [math.pi, 2.0 * math.pi / 3.0, math.pi / 4.0]


@functools.lru_cache(maxsize=None)
def sh_norm(l, m):
    return math.sqrt((2 * l + 1) / (4 * math.pi) * math.factorial(l - abs(m)) / math.factorial(l + abs(m)))


def sh_basis(d):
    x, y, z = d[:, 0], d[:, 1], d[:, 2]
    cols = [sh_norm(0, 0) * np.ones_like(x),
            sh_norm(1, -1) * y, sh_norm(1, 0) * z, sh_norm(1, 1) * x]
    cols += [sh_norm(2, -2) * 3.0 * 2 * x * y / 2.0, sh_norm(2, -1) * 3.0 * y * z,
             sh_norm(2, 0) * 0.5 * (3 * z ** 2 - 1), sh_norm(2, 1) * 3.0 * x * z,
             sh_norm(2, 2) * 3.0 * (x ** 2 - y ** 2) / 2.0]
    scale = [1.0, math.sqrt(2)] + [math.sqrt(2)] * 7
    return np.stack([c * (s if i else 1.0) for i, (c, s) in enumerate(zip(cols, scale))], axis=1)


def direction(theta, phi):
    return np.array([math.sin(theta) * math.cos(phi), math.sin(theta) * math.sin(phi), math.cos(theta)])


def environment(lobes, dirs):
    L = np.zeros(len(dirs))
    for lobe in lobes:
        w = direction(lobe["theta"], lobe["phi"])
        L += lobe["intensity"] * np.exp(lobe["kappa"] * (dirs @ w - 1.0))
    return L


def render_loss(lobes, sample_dirs, normals, observed):
    Y = sh_basis(sample_dirs)
    coeffs, *_ = np.linalg.lstsq(Y, environment(lobes, sample_dirs), rcond=None)
    band = np.array([0, 1, 1, 1, 2, 2, 2, 2, 2])
    conv = coeffs * np.array([A_HAT[b] for b in band])
    radiance = sh_basis(normals) @ conv / math.pi
    return np.mean((radiance - observed) ** 2)


rng = np.random.default_rng(26)
v = rng.standard_normal((300, 3))
sample_dirs = v / np.linalg.norm(v, axis=1, keepdims=True)
n = rng.standard_normal((50, 3))
normals = n / np.linalg.norm(n, axis=1, keepdims=True)
true = [dict(theta=0.6, phi=1.0, kappa=8.0, intensity=3.0), dict(theta=2.0, phi=-2.0, kappa=3.0, intensity=1.0)]
Yt = sh_basis(sample_dirs)
ct, *_ = np.linalg.lstsq(Yt, environment(true, sample_dirs), rcond=None)
observed = sh_basis(normals) @ (ct * np.array([A_HAT[b] for b in [0, 1, 1, 1, 2, 2, 2, 2, 2]])) / math.pi
lobes0 = [dict(theta=0.8, phi=0.7, kappa=6.0, intensity=2.5), dict(theta=1.8, phi=-1.7, kappa=4.0, intensity=1.2)]
f = render_loss
ARGS = (lobes0, sample_dirs, normals, observed)
