"""Photovoltaic module single-diode model fitted to a measured I-V curve: for each terminal
voltage the implicit current equation I = Iph - I0 (exp((V + I Rs)/(n Ns Vt)) - 1) - (V + I Rs)/Rsh
is solved by a vectorised Newton iteration in a `while` loop with a tolerance and an iteration
cap (np.max of the step), parameters passed as a tuple unpacked at the top with log-scaled
saturation current and resistances; the loss is the squared current error plus a penalty on the
maximum-power-point power, differentiated w.r.t. the parameter tuple's array."""
import numpy as np

K_B, Q_E = 1.380649e-23, 1.602176634e-19
N_CELLS = 36


def solve_current(V, Iph, I0, n, Rs, Rsh, T=298.15, tol=1e-12, max_iter=50):
    vt = n * N_CELLS * K_B * T / Q_E
    I = np.full_like(V, Iph)
    it = 0
    while True:
        e = np.exp((V + I * Rs) / vt)
        g = Iph - I0 * (e - 1.0) - (V + I * Rs) / Rsh - I
        dg = -I0 * e * Rs / vt - Rs / Rsh - 1.0
        step = g / dg
        I = I - step
        it += 1
        if np.max(np.abs(step)) < tol or it >= max_iter:
            break
    return I


def iv_loss(theta, V, I_meas, p_mpp):
    Iph, log_I0, n, log_Rs, log_Rsh = theta
    I = solve_current(V, Iph, np.exp(log_I0), n, np.exp(log_Rs), np.exp(log_Rsh))
    power = V * I
    soft_pmax = np.sum(power * np.exp(power / 2.0)) / np.sum(np.exp(power / 2.0))
    return np.mean((I - I_meas) ** 2) + 1e-4 * (soft_pmax - p_mpp) ** 2


V = np.linspace(0.0, 21.0, 40)
true = np.array([3.8, np.log(2e-10), 1.2, np.log(0.3), np.log(150.0)])
I_true = solve_current(V, true[0], np.exp(true[1]), true[2], np.exp(true[3]), np.exp(true[4]))
I_meas = I_true + 0.01 * np.cos(3 * V)
f = iv_loss
ARGS = (np.array([3.6, np.log(1e-9), 1.3, np.log(0.4), np.log(100.0)]), V, I_meas, float(np.max(V * I_true)))
