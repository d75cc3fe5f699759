"""Paraxial optical design: a system is a list of element objects of different classes (Lens with a
power and an f property, Gap with a thickness, ThickLens built from two refracting Surfaces inherited
from an abstract Element), each with .matrix() giving its 2x2 ray-transfer (ABCD) matrix; the
system matrix is composed with functools.reduce, a fan of rays is traced with list(map(...)), and
the loss asks for a target effective focal length, a sharp image at the detector (spot size), and a
telecentric-ish chief ray.  Differentiated w.r.t. the list of element objects."""
import functools

import numpy as np


class Element:
    def matrix(self):
        raise NotImplementedError


class Lens(Element):
    def __init__(self, power):
        self.power = power

    @property
    def f(self):
        return 1.0 / self.power

    def matrix(self):
        return np.array([[1.0, 0.0], [-1.0 / self.f, 1.0]])


class Gap(Element):
    def __init__(self, d, n=1.0):
        self.d = d
        self.n = n

    def matrix(self):
        return np.array([[1.0, self.d / self.n], [0.0, 1.0]])


class ThickLens(Element):
    def __init__(self, R1, R2, t, n):
        self.R1, self.R2, self.t, self.n = R1, R2, t, n

    def matrix(self):
        s1 = np.array([[1.0, 0.0], [(1.0 - self.n) / (self.n * self.R1), 1.0 / self.n]])
        s2 = np.array([[1.0, 0.0], [(self.n - 1.0) / self.R2, self.n]])
        return s2 @ Gap(self.t).matrix() @ s1


def system_matrix(elements):
    return functools.reduce(lambda M, e: e.matrix() @ M, elements, np.eye(2))


def design_loss(elements, rays, target_efl=50.0):
    M = system_matrix(elements)
    efl = -1.0 / M[1, 0]
    out = list(map(lambda r: M @ r, rays))
    heights = np.array([o[0] for o in out])
    spot = np.sqrt(np.mean(heights ** 2))
    chief = M @ np.array([1.0, 0.05])
    return ((efl - target_efl) / target_efl) ** 2 + 10.0 * spot ** 2 + 0.1 * chief[1] ** 2


elements = [Lens(1 / 80.0), Gap(10.0), ThickLens(40.0, -60.0, 4.0, 1.5), Gap(12.0), Lens(-1 / 120.0), Gap(38.0)]
rays = [np.array([h, 0.0]) for h in (-4.0, -2.0, 2.0, 4.0)]
f = design_loss
ARGS = (elements, rays)
