"""Gaussian-beam design through a chain of thin lenses and free-space gaps with ray-transfer (ABCD)
matrices: the complex beam parameter q is propagated as (A q + B) / (C q + D), and the loss asks for
a target waist radius at the detector.  Lens focal lengths and gaps are the design variables."""
from functools import reduce

import numpy as np

WAVELENGTH = 1.064e-3  # mm


def free_space(d):
    return np.array([[1.0, d], [0.0, 1.0]])


def thin_lens(f):
    return np.array([[1.0, 0.0], [-1.0 / f, 1.0]])


def system_matrix(focals, gaps):
    elements = []
    for f, d in zip(focals, gaps):
        elements.append(thin_lens(f))
        elements.append(free_space(d))
    # matrices act right-to-left, so the first element is rightmost
    return reduce(lambda M, E: E @ M, elements, np.eye(2))


def beam_radius(q):
    inv_q = 1.0 / q
    return np.sqrt(-WAVELENGTH / (np.pi * inv_q.imag))


def design_loss(design, w0=0.5, target_w=0.05, d0=100.0):
    z_r = np.pi * w0 ** 2 / WAVELENGTH
    q0 = d0 + 1j * z_r
    M = system_matrix(design["focals"], design["gaps"])
    A, B, C, D = M[0, 0], M[0, 1], M[1, 0], M[1, 1]
    q = (A * q0 + B) / (C * q0 + D)
    w = beam_radius(q)
    curvature = (1.0 / q).real  # want a flat wavefront at the detector
    return (w / target_w - 1.0) ** 2 + 1e4 * curvature ** 2 + 1e-6 * np.sum(design["gaps"] ** 2)


design = {"focals": np.array([150.0, -40.0, 80.0]), "gaps": np.array([60.0, 90.0, 70.0])}
f = design_loss
ARGS = (design,)
