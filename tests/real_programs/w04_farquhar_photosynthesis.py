"""Farquhar-von Caemmerer-Berry leaf photosynthesis fitted to an A-Ci curve: leaf traits in a
dataclass (Vcmax, Jmax, Rd, theta), Arrhenius temperature scaling with math.exp, the electron
transport rate from the non-rectangular hyperbola (the smaller root of a quadratic), co-limitation
by Python's min() of the Rubisco and RuBP rates per point, a sum() over a generator for the loss."""
import math
from dataclasses import dataclass

import numpy as np

R_GAS = 8.314e-3


@dataclass
class Leaf:
    vcmax25: float
    jmax25: float
    rd25: float
    theta: float


def arrhenius(k25, ea, t_leaf):
    return k25 * math.exp(ea * (t_leaf - 298.15) / (298.15 * R_GAS * t_leaf))


def electron_transport(par, jmax, theta, alpha=0.3):
    b = alpha * par + jmax
    disc = b * b - 4.0 * theta * alpha * par * jmax
    return (b - math.sqrt(disc)) / (2.0 * theta)


def net_assimilation(leaf, ci, par, t_leaf, o2=210.0):
    vcmax = arrhenius(leaf.vcmax25, 65.3, t_leaf)
    jmax = arrhenius(leaf.jmax25, 43.5, t_leaf)
    rd = arrhenius(leaf.rd25, 46.4, t_leaf)
    gamma_star = arrhenius(42.75, 37.83, t_leaf)
    kc, ko = arrhenius(404.9, 79.43, t_leaf), arrhenius(278.4, 36.38, t_leaf)
    j = electron_transport(par, jmax, leaf.theta)
    wc = vcmax * (ci - gamma_star) / (ci + kc * (1.0 + o2 / ko))
    wj = j * (ci - gamma_star) / (4.0 * ci + 8.0 * gamma_star)
    return min(wc, wj) - rd


def aci_loss(leaf, ci_obs, a_obs, par=1500.0, t_leaf=300.15):
    preds = [net_assimilation(leaf, float(c), par, t_leaf) for c in ci_obs]
    sse = sum((p - a) ** 2 for p, a in zip(preds, a_obs))
    prior = (leaf.theta - 0.7) ** 2 * 10.0
    return sse / len(preds) + prior


ci_obs = np.array([60.0, 110.0, 160.0, 230.0, 320.0, 480.0, 700.0, 950.0, 1200.0])
a_obs = np.array([1.2, 5.8, 10.1, 14.9, 19.0, 23.5, 26.0, 27.1, 27.8])
f = aci_loss
ARGS = (Leaf(vcmax25=55.0, jmax25=105.0, rd25=1.1, theta=0.72), ci_obs, a_obs)
