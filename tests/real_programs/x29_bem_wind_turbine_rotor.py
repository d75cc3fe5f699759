"""Blade-element momentum (BEM) analysis of a small wind-turbine rotor for twist design: for each
blade element the axial and tangential induction factors are found by a relaxed fixed-point
iteration in a `while` loop with a tolerance (the walrus operator tracks the change), with
Prandtl's tip-loss factor (np.arccos of exp), a thin-airfoil lift slope with a quadratic drag
polar; elements are described by a list of dataclass instances; the objective is minus the
power coefficient plus a smoothness penalty on the twist, differentiated w.r.t. the twist array."""
import math
from dataclasses import dataclass

import numpy as np

B_BLADES, R_TIP, TSR = 3, 5.0, 7.0


@dataclass
class Element:
    r: float
    chord: float
    dr: float


def polar(alpha):
    cl = 2 * math.pi * alpha
    cd = 0.008 + 0.8 * alpha ** 2
    return cl, cd


def induction(el, twist, tol=1e-10, relax=0.3, max_iter=500):
    lam_r = TSR * el.r / R_TIP
    sigma = B_BLADES * el.chord / (2 * math.pi * el.r)
    a, ap = 0.3, 0.0
    it = 0
    change = 1.0
    while change > tol and it < max_iter:
        phi = math.atan2(1 - a, lam_r * (1 + ap))
        cl, cd = polar(phi - twist)
        cn = cl * math.cos(phi) + cd * math.sin(phi)
        ct = cl * math.sin(phi) - cd * math.cos(phi)
        F = 2 / math.pi * math.acos(math.exp(-B_BLADES / 2 * (R_TIP - el.r) / (el.r * math.sin(phi))))
        a_new = 1 / (4 * F * math.sin(phi) ** 2 / (sigma * cn) + 1)
        ap_new = 1 / (4 * F * math.sin(phi) * math.cos(phi) / (sigma * ct) - 1)
        change = max(abs(d := a_new - a), abs(ap_new - ap))
        a = a + relax * d
        ap = ap + relax * (ap_new - ap)
        it += 1
    return a, ap


def design_objective(twist, elements):
    cp = 0.0
    for el, th in zip(elements, twist):
        a, ap = induction(el, th)
        lam_r = TSR * el.r / R_TIP
        cp += 8 / TSR ** 2 * ap * (1 - a) * lam_r ** 3 * TSR * el.dr / R_TIP
    smooth = np.sum(np.diff(twist) ** 2)
    return -cp + 0.1 * smooth


radii = np.linspace(1.0, 4.75, 8)
elements = [Element(float(r), 0.6 - 0.08 * float(r), 0.5) for r in radii]
f = design_objective
ARGS = (np.deg2rad(np.linspace(18.0, 2.0, 8)), elements)
