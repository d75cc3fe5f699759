"""Steady temperature of a heated, radiating and convecting plate: for each heat input q solve
eps*s*T^4 + h*(T - T_amb) = q by bisection on a bracket, polish with one Newton step, and fit
emissivity and convection coefficient to measured temperatures."""
import numpy as np

SIGMA_SB = 5.670374419e-8


def balance(T, q, eps, h, T_amb):
    return eps * SIGMA_SB * T ** 4 + h * (T - T_amb) - q


def steady_temperature(q, eps, h, T_amb=293.0, lo=200.0, hi=2000.0, iters=40):
    for _ in range(iters):
        mid = 0.5 * (lo + hi)
        if balance(mid, q, eps, h, T_amb) > 0:
            hi = mid
        else:
            lo = mid
    T = 0.5 * (lo + hi)
    dg = 4 * eps * SIGMA_SB * T ** 3 + h
    return T - balance(T, q, eps, h, T_amb) / dg


def fit_loss(params, heat_inputs, measured):
    eps, h = params
    pred = np.array([steady_temperature(q, eps, h) for q in heat_inputs])
    return np.mean((pred - measured) ** 2)


heat_inputs = np.array([200.0, 500.0, 1000.0, 2000.0, 4000.0])
true_T = np.array([steady_temperature(q, 0.8, 12.0) for q in heat_inputs])
measured = true_T + np.array([0.5, -0.3, 0.8, -0.6, 0.2])

f = fit_loss
ARGS = (np.array([0.7, 10.0]), heat_inputs, measured)
