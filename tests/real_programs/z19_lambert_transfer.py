"""Interplanetary transfer delta-v from Lambert's problem (universal-variable formulation, Curtis
Algorithm 5.2): Stumpff functions with an if/elif/else on the sign of z, Newton iterations on z in a
while loop, Lagrange coefficients, then the departure and arrival delta-v against circular orbits;
orbital states are typing.NamedTuple objects with a method.  Differentiated w.r.t. the departure
position vector and the time of flight."""
import math
from typing import NamedTuple

import numpy as np

MU_SUN = 1.0          # canonical units: AU, year/2pi


class Orbit(NamedTuple):
    r: np.ndarray
    v: np.ndarray

    def speed(self):
        return np.linalg.norm(self.v)


def stumpff_C(z):
    if z > 1e-8:
        return (1 - math.cos(math.sqrt(z))) / z
    elif z < -1e-8:
        return (math.cosh(math.sqrt(-z)) - 1) / (-z)
    else:
        return 0.5 - z / 24.0


def stumpff_S(z):
    if z > 1e-8:
        sz = math.sqrt(z)
        return (sz - math.sin(sz)) / sz ** 3
    elif z < -1e-8:
        sz = math.sqrt(-z)
        return (math.sinh(sz) - sz) / sz ** 3
    else:
        return 1.0 / 6.0 - z / 120.0


def lambert(r1, r2, tof, mu=MU_SUN, tol=1e-12):
    R1, R2 = np.linalg.norm(r1), np.linalg.norm(r2)
    cos_dnu = np.dot(r1, r2) / (R1 * R2)
    dnu = np.arccos(cos_dnu)
    if np.cross(r1, r2)[2] < 0:
        dnu = 2 * np.pi - dnu
    A = math.sin(dnu) * math.sqrt(R1 * R2 / (1 - math.cos(dnu)))

    def y(z):
        return R1 + R2 + A * (z * stumpff_S(z) - 1) / math.sqrt(stumpff_C(z))

    def F(z):
        return (y(z) / stumpff_C(z)) ** 1.5 * stumpff_S(z) + A * math.sqrt(y(z)) - math.sqrt(mu) * tof

    def dF(z):
        C, S = stumpff_C(z), stumpff_S(z)
        yz = y(z)
        return (yz / C) ** 1.5 * (1 / (2 * z) * (C - 1.5 * S / C) + 0.75 * S ** 2 / C) \
            + A / 8 * (3 * S / C * math.sqrt(yz) + A * math.sqrt(C / yz))

    z = 1.0
    ratio = 1.0
    n = 0
    while abs(ratio) > tol and n < 100:
        ratio = F(z) / dF(z)
        z = z - ratio
        n += 1
    yz = y(z)
    f_ = 1 - yz / R1
    g_ = A * math.sqrt(yz / mu)
    gdot = 1 - yz / R2
    v1 = (r2 - f_ * r1) / g_
    v2 = (gdot * r2 - r1) / g_
    return Orbit(r1, v1), Orbit(r2, v2)


def circular_velocity(r, mu=MU_SUN):
    rn = np.linalg.norm(r)
    t_hat = np.array([-r[1], r[0], 0.0]) / np.hypot(r[0], r[1])
    return math.sqrt(mu / rn) * t_hat


def transfer_dv(r1, tof, r2):
    dep, arr = lambert(r1, r2, tof)
    dv1 = np.linalg.norm(dep.v - circular_velocity(r1))
    dv2 = np.linalg.norm(arr.v - circular_velocity(r2))
    return dv1 + dv2 + 0.01 * dep.speed()


r2 = np.array([-1.3, 0.8, 0.03])
f = transfer_dv
ARGS = (np.array([1.0, 0.1, 0.0]), 2.6, r2)
KW = {"wrt": ("r1", "tof")}
