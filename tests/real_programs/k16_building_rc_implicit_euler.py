"""Grey-box building thermal model (3R2C: indoor air, building envelope, outdoor): the state-space
matrices are assembled from resistances and capacitances held in a parameter dict, integrated
hourly with implicit Euler (np.linalg.solve on (I - dt A) every step), a proportional heater with
power clipped to [0, Pmax] by np.clip, outdoor temperature and solar gains as daily sinusoids;
the loss is the misfit to measured indoor temperatures plus the energy used.  Differentiated
w.r.t. the dict of log-resistances/log-capacitances."""
import numpy as np


def system(p):
    Ria, Rae = np.exp(p["log_Ria"]), np.exp(p["log_Rae"])
    Ci, Ce = np.exp(p["log_Ci"]), np.exp(p["log_Ce"])
    A = np.array([[-1 / (Ria * Ci), 1 / (Ria * Ci)],
                  [1 / (Ria * Ce), -1 / (Ria * Ce) - 1 / (Rae * Ce)]])
    B = np.array([[1 / Ci, 0.0, p["solar_frac"] / Ci],
                  [0.0, 1 / (Rae * Ce), (1 - p["solar_frac"]) / Ce]])
    return A, B


def simulate(p, T_out, solar, setpoint=21.0, gain=300.0, p_max=3000.0, dt=3600.0):
    A, B = system(p)
    M = np.eye(2) - dt * A
    x = np.array([18.0, 15.0])
    temps, energy = [], 0.0
    for To, Qs in zip(T_out, solar):
        heat = np.clip(gain * (setpoint - x[0]), 0.0, p_max)
        u = np.array([heat, To, Qs])
        x = np.linalg.solve(M, x + dt * B @ u)
        temps.append(x[0])
        energy += heat * dt / 3.6e6
    return np.array(temps), energy


def fit_loss(p, T_out, solar, measured):
    temps, energy = simulate(p, T_out, solar)
    return np.mean((temps - measured) ** 2) + 0.01 * energy


hours = np.arange(72)
T_out = 5 + 4 * np.sin(2 * np.pi * (hours - 9) / 24)
solar = np.maximum(0.0, 800 * np.sin(2 * np.pi * (hours - 6) / 24))
measured = 20.0 + 0.8 * np.sin(2 * np.pi * (hours - 14) / 24)
p = {"log_Ria": np.log(0.005), "log_Rae": np.log(0.02), "log_Ci": np.log(2e6), "log_Ce": np.log(2e7), "solar_frac": 0.3}
f = fit_loss
ARGS = (p, T_out, solar, measured)
KINKED = "the heater's clip switches between saturated and proportional at some hours"
