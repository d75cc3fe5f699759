"""Single-track (bicycle) vehicle model with Pacejka 'magic formula' tyres, identified from a
logged lane change: the front and rear tyre coefficients are NamedTuples in a tuple, the lateral
force uses math.atan on Python floats, slip angles via math.atan2, the yaw rate and lateral speed
integrated with RK2 (a helper returning a tuple of derivatives); the loss compares simulated yaw
rate with the log, differentiated w.r.t. the tyre coefficient tuples."""
import math
from typing import NamedTuple

import numpy as np


class Tyre(NamedTuple):
    B: float
    C: float
    D: float
    E: float


def magic_formula(t, alpha, fz):
    x = t.B * alpha
    return t.D * fz * math.sin(t.C * math.atan(x - t.E * (x - math.atan(x))))


def derivatives(vy, r, delta, tyres, u, m=1500.0, iz=2500.0, a=1.2, b=1.5):
    front, rear = tyres
    fzf, fzr = m * 9.81 * b / (a + b), m * 9.81 * a / (a + b)
    alpha_f = delta - math.atan2(vy + a * r, u)
    alpha_r = -math.atan2(vy - b * r, u)
    Fyf, Fyr = magic_formula(front, alpha_f, fzf), magic_formula(rear, alpha_r, fzr)
    dvy = (Fyf * math.cos(delta) + Fyr) / m - u * r
    dr = (a * Fyf * math.cos(delta) - b * Fyr) / iz
    return dvy, dr


def yaw_rate_loss(tyres, steer, r_log, u=20.0, dt=0.02):
    vy, r = 0.0, 0.0
    err = 0.0
    for k, delta in enumerate(steer):
        d1 = derivatives(vy, r, float(delta), tyres, u)
        d2 = derivatives(vy + dt * d1[0], r + dt * d1[1], float(delta), tyres, u)
        vy += 0.5 * dt * (d1[0] + d2[0])
        r += 0.5 * dt * (d1[1] + d2[1])
        err += (r - r_log[k]) ** 2
    return err / len(steer)


t = np.arange(0, 3.0, 0.02)
steer = 0.04 * np.sin(2 * np.pi * 0.5 * t) * (t < 2.0)
true = (Tyre(10.0, 1.9, 1.0, 0.97), Tyre(12.0, 1.9, 1.0, 0.97))
r_log = []
vy, r = 0.0, 0.0
for delta in steer:
    d1 = derivatives(vy, r, delta, true, 20.0)
    d2 = derivatives(vy + 0.02 * d1[0], r + 0.02 * d1[1], delta, true, 20.0)
    vy, r = vy + 0.01 * (d1[0] + d2[0]), r + 0.01 * (d1[1] + d2[1])
    r_log.append(r)
f = yaw_rate_loss
ARGS = ((Tyre(9.0, 1.8, 0.95, 0.9), Tyre(11.0, 1.8, 0.95, 0.9)), steer, np.array(r_log))
