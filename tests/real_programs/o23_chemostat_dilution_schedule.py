"""A chemostat with Monod growth and Luedeking-Piret product formation, operated with a schedule
of dilution rates (a list of (end_time, D) pairs): inside each phase a while loop takes explicit
Euler steps until the phase's end time.  The productivity over the run minus a washout penalty is
differentiated w.r.t. the kinetic parameters (a dict)."""
import numpy as np


def rates(S, X, P, D, kin, S_in=10.0):
    mu = kin["mu_max"] * S / (kin["Ks"] + S) / (1.0 + P / kin["Kp"])
    dX = (mu - D) * X
    dS = D * (S_in - S) - mu * X / kin["Y"]
    dP = (kin["alpha"] * mu + kin["beta"]) * X - D * P
    return dS, dX, dP


def run(kin, schedule, dt=0.02):
    S, X, P = 5.0, 0.5, 0.0
    t = 0.0
    collected = 0.0
    for end_time, D in schedule:
        while t < end_time - 1e-9:
            dS, dX, dP = rates(S, X, P, D, kin)
            S = S + dt * dS
            X = X + dt * dX
            P = P + dt * dP
            collected += dt * D * P
            t += dt
    return collected, X


def objective(kin, schedule=((10.0, 0.1), (20.0, 0.25), (30.0, 0.4), (35.0, 0.2))):
    prod, X_end = run(kin, list(schedule))
    washout = np.maximum(0.5 - X_end, 0.0) ** 2
    return -prod / schedule[-1][0] + 10.0 * washout


f = objective
ARGS = ({"mu_max": 0.5, "Ks": 0.8, "Kp": 20.0, "Y": 0.45, "alpha": 2.0, "beta": 0.05},)
