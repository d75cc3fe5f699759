"""Pipeline hydraulics: Darcy friction factor per pipe from the Colebrook-White equation solved by a
fixed-point while loop with a tolerance and an iteration cap, an early return for laminar flow, a
try/except ZeroDivisionError guard, an f-string debug print; total pumping cost w.r.t. the diameters."""
import numpy as np


def friction_factor(Re, rel_rough, tol=1e-12, max_iter=100, verbose=False):
    if Re < 2300:
        return 64.0 / Re
    try:
        x = -2.0 * np.log10(rel_rough / 3.7 + 5.74 / Re ** 0.9)   # Swamee-Jain start, x = 1/sqrt(f)
    except ZeroDivisionError:
        x = 8.0
    it = 0
    while True:
        x_new = -2.0 * np.log10(rel_rough / 3.7 + 2.51 * x / Re)
        it += 1
        if abs(x_new - x) < tol or it >= max_iter:
            break
        x = x_new
    if verbose:
        print(f"Re={Re:.3g}: converged in {it} iterations")
    return 1.0 / x_new ** 2


def pumping_cost(D, L, Q, rough=4.5e-5, rho=998.0, mu=1.0e-3, c_pipe=900.0):
    head_loss = 0.0
    for i in range(len(D)):
        area = np.pi * D[i] ** 2 / 4
        v = Q[i] / area
        Re = rho * v * D[i] / mu
        fr = friction_factor(Re, rough / D[i])
        dp = fr * L[i] / D[i] * rho * v ** 2 / 2
        head_loss += dp * Q[i]
    capital = c_pipe * np.sum(L * D ** 1.5)
    return 1e-3 * head_loss + 1e-3 * capital


L = np.array([120.0, 300.0, 80.0, 450.0])
Q = np.array([0.02, 0.05, 0.0004, 0.03])        # the third pipe runs laminar
D = np.array([0.10, 0.18, 0.35, 0.15])

f = pumping_cost
ARGS = (D, L, Q)
