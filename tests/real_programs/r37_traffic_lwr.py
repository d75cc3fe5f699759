"""Calibrating the Lighthill-Whitham-Richards traffic model on a ring road: Greenshields flux,
Lax-Friedrichs scheme with np.roll, loop-detector densities recorded at a few sensor cells every
few steps; the free-flow speed and jam density are a tuple of two floats."""
import numpy as np

DX, DT = 0.1, 0.004          # km, h
SENSORS = [5, 17, 29]


def flux(rho, v_max, rho_max):
    return v_max * rho * (1 - rho / rho_max)


def simulate(params, rho0, n_steps=60, record_every=5):
    v_max, rho_max = params
    rho = rho0.copy()
    readings = []
    for n in range(n_steps):
        q = flux(rho, v_max, rho_max)
        rho = 0.5 * (np.roll(rho, 1) + np.roll(rho, -1)) - DT / (2 * DX) * (np.roll(q, -1) - np.roll(q, 1))
        if n % record_every == 0:
            readings.append(rho[SENSORS])
    return np.array(readings)


def calibration_loss(params, rho0, observed):
    return np.mean((simulate(params, rho0) - observed) ** 2) / 100.0


x = np.arange(40) * DX
rho0 = 30 + 60 * np.exp(-((x - 1.5) / 0.4) ** 2)
rng = np.random.default_rng(137)
observed = simulate((20.0, 150.0), rho0) + 0.5 * rng.standard_normal((12, 3))
f = calibration_loss
ARGS = ((18.0, 140.0), rho0, observed)
