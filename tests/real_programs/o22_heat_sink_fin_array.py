"""Sizing a natural-convection plate-fin heat sink: for each candidate fin count the channel
spacing, the Elenbaas correlation for the heat transfer coefficient, the fin efficiency
tanh(mL)/(mL) with the corrected length, and the sink's thermal resistance; the design loss is a
soft minimum (log-sum-exp) of the resistance over fin counts plus a mass penalty, differentiated
w.r.t. fin thickness and height (in mm)."""
import math

import numpy as np

K_AL, K_AIR, NU_AIR, PR = 200.0, 0.026, 1.6e-5, 0.71
G, BETA, DT = 9.81, 1.0 / 320.0, 40.0


def elenbaas_h(spacing, height):
    ra_s = G * BETA * DT * spacing ** 3 / (NU_AIR ** 2) * PR
    el = ra_s * spacing / height
    nu = (576.0 / el ** 2 + 2.873 / math.sqrt(el)) ** -0.5
    return nu * K_AIR / spacing


def sink_resistance(n_fins, t, H, width=0.1, depth=0.1):
    spacing = (width - n_fins * t) / (n_fins - 1)
    if spacing <= 0.001:
        return None
    h = elenbaas_h(spacing, depth)
    Lc = H + t / 2.0
    m = math.sqrt(2.0 * h / (K_AL * t))
    eta = math.tanh(m * Lc) / (m * Lc)
    area_fins = n_fins * 2.0 * Lc * depth
    area_base = (width - n_fins * t) * depth
    return 1.0 / (h * (eta * area_fins + area_base))


def design_loss(t_mm, H_mm, counts=(6, 8, 10, 12, 14, 16), temp=0.05):
    t, H = t_mm * 1e-3, H_mm * 1e-3
    rs = []
    for n in counts:
        r = sink_resistance(n, t, H)
        if r is not None:
            rs.append(r)
    rs = np.array(rs)
    soft_min = -temp * np.log(np.sum(np.exp(-(rs - min(rs)) / temp))) + min(rs)
    mass = 2700.0 * (max(counts) * t * H * 0.1 + 0.1 * 0.1 * 0.004)
    return soft_min + 0.5 * mass


f = design_loss
ARGS = (1.5, 30.0)
KW = {"wrt": ("t_mm", "H_mm")}
