"""Isothermal flash of a hydrocarbon mixture: K-values from the Antoine equation (a dict of
component name -> (A, B, C) constants, mmHg and degC) and Raoult's law, the vapour fraction from
the Rachford-Rice equation solved by Newton's method in a `while abs(step) > tol` loop started at
0.5, liquid and vapour compositions from it; the loss matches a measured vapour fraction and vapour
composition, differentiated w.r.t. temperature and pressure (a float each) by position
(wrt=(0, 1))."""
import numpy as np

ANTOINE = {
    "propane": (6.80398, 803.810, 246.99),
    "n-butane": (6.80896, 935.860, 238.73),
    "n-pentane": (6.87632, 1075.78, 233.205),
    "n-hexane": (6.87601, 1171.17, 224.41),
}


def k_values(T, P, names):
    psat = np.array([10 ** (a - b / (T + c)) for a, b, c in (ANTOINE[n] for n in names)])
    return psat / P


def rachford_rice(z, K, tol=1e-12):
    beta, step = 0.5, 1.0
    while abs(step) > tol:
        g = np.sum(z * (K - 1) / (1 + beta * (K - 1)))
        dg = -np.sum(z * (K - 1) ** 2 / (1 + beta * (K - 1)) ** 2)
        step = g / dg
        beta = beta - step
    return beta


def flash_loss(T, P, z, beta_meas, y_meas):
    names = list(ANTOINE)
    K = k_values(T, P, names)
    beta = rachford_rice(z, K)
    x = z / (1 + beta * (K - 1))
    y = K * x
    return (beta - beta_meas) ** 2 + np.sum((y - y_meas) ** 2) + 0.01 * (np.sum(x) - 1.0) ** 2


z = np.array([0.2, 0.3, 0.3, 0.2])
K_true = k_values(45.0, 3000.0, list(ANTOINE))
beta_true = rachford_rice(z, K_true)
y_true = K_true * z / (1 + beta_true * (K_true - 1))
f = flash_loss
ARGS = (40.0, 3200.0, z, beta_true, y_true)
KW = dict(wrt=(0, 1))
