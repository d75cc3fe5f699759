"""Vehicle ride comfort: a linear quarter-car model (sprung/unsprung masses, suspension spring
and damper, tyre spring) is discretised exactly with the matrix exponential, computed by scaling
and squaring of a truncated Taylor series (the number of squarings from the norm, a while loop
doubling the scale).  A road profile (a bump plus random roughness) is applied step by step; the
loss is RMS body acceleration plus a penalty on suspension travel over its limit,
differentiated w.r.t. the suspension stiffness and damping (a design-sensitivity study)."""
import math

import numpy as np

M_S, M_U, K_T = 300.0, 40.0, 180e3
DT = 0.002


def expm_taylor(A, order=12):
    nrm = np.linalg.norm(A, 1)
    s = 0
    while nrm / 2 ** s > 0.5:
        s += 1
    As = A / 2 ** s
    E = np.eye(A.shape[0])
    term = np.eye(A.shape[0])
    for k in range(1, order + 1):
        term = term @ As / k
        E = E + term
    for _ in range(s):
        E = E @ E
    return E


def system(k_s, c_s):
    A = np.array([[0.0, 1.0, 0.0, 0.0],
                  [-k_s / M_S, -c_s / M_S, k_s / M_S, c_s / M_S],
                  [0.0, 0.0, 0.0, 1.0],
                  [k_s / M_U, c_s / M_U, -(k_s + K_T) / M_U, -c_s / M_U]])
    B = np.array([0.0, 0.0, 0.0, K_T / M_U])
    return A, B


def ride_cost(design, road, travel_limit=0.05):
    k_s, c_s = design["k"], design["c"]
    A, B = system(k_s, c_s)
    Ad = expm_taylor(A * DT)
    Bd = np.linalg.solve(A, (Ad - np.eye(4)) @ B)      # exact zero-order hold (A invertible)
    x = np.zeros(4)
    acc_sq, over = 0.0, 0.0
    for z_road in road:
        x = Ad @ x + Bd * z_road
        acc = (A @ x + B * z_road)[1]
        acc_sq += acc ** 2
        travel = x[0] - x[2]
        over += max(abs(travel) - travel_limit, 0.0) ** 2
    return math.sqrt(acc_sq / len(road)) + 1e4 * over


rng = np.random.default_rng(21)
t = np.arange(0, 1.2, DT)
road = 0.03 * np.exp(-((t - 0.3) / 0.05) ** 2) + 0.002 * np.cumsum(rng.standard_normal(t.size)) * np.sqrt(DT)
f = ride_cost
ARGS = ({"k": 20e3, "c": 1500.0}, road)
