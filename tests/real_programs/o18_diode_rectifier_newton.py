"""Transient simulation of a half-wave rectifier (sine source, Shockley diode, RC load) by backward
Euler, solving the nonlinear node equation by Newton's method at each time step until the update
is tiny.  The design loss asks for a target DC level with small ripple over the last period,
differentiated w.r.t. the smoothing capacitance and load resistance."""
import numpy as np

KINKED = "Newton's iteration count is piecewise constant"
IS, VT = 1e-12, 0.02585


def node_residual(v, v_prev, vs, C, R, dt):
    i_d = IS * (np.exp((vs - v) / VT) - 1.0)
    r = C * (v - v_prev) / dt + v / R - i_d
    dr = C / dt + 1.0 / R + IS / VT * np.exp((vs - v) / VT)
    return r, dr


def simulate(C, R, amp=5.0, freq=50.0, periods=3, n_per=80):
    dt = 1.0 / (freq * n_per)
    v = 0.0
    out = []
    for k in range(1, periods * n_per + 1):
        vs = amp * np.sin(2 * np.pi * freq * k * dt)
        v_prev = v
        v = max(v_prev, vs - 0.6)                # a guess near the conducting solution
        for _ in range(50):
            r, dr = node_residual(v, v_prev, vs, C, R, dt)
            step = r / dr
            v = v - step
            if abs(step) < 1e-13:
                break
        out.append(v)
    return np.array(out), n_per


def design_loss(C_uF, R, target_dc=4.0):
    C = C_uF * 1e-6
    v, n_per = simulate(C, R)
    last = v[-n_per:]
    ripple = np.max(last) - np.min(last)
    return (np.mean(last) - target_dc) ** 2 + 0.5 * ripple ** 2 + 1e-3 * (C * 1e4) ** 2


f = design_loss
ARGS = (220.0, 470.0)
KW = {"wrt": ("C_uF", "R")}
