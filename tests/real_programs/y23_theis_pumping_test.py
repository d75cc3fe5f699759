"""Hydrogeology: a constant-rate pumping test analysed with the Theis solution.  Drawdown
s = Q / (4 pi T) W(u), u = r^2 S / (4 T t), with the well function W(u) = E1(u) evaluated by its
power series (a while loop summing terms until they fall below a tolerance) for u < 1 and by a
rational approximation otherwise (branch per observation).  Observation wells are a list of
(radius, times, drawdowns) tuples; the weighted least-squares misfit is differentiated w.r.t.
log-transmissivity and log-storativity."""
import math

import numpy as np

EULER_GAMMA = 0.5772156649015329
Q = 0.012  # m^3/s


def well_function(u, tol=1e-14):
    if u < 1.0:
        total = -EULER_GAMMA - math.log(u)
        term = 1.0
        k = 1
        while True:
            term *= -u / k
            contrib = -term / k
            total += contrib
            if abs(contrib) < tol * abs(total):
                break
            k += 1
        return total
    # Abramowitz & Stegun 5.1.56
    num = u ** 2 + 2.334733 * u + 0.250621
    den = u ** 2 + 3.330657 * u + 1.681534
    return math.exp(-u) / u * num / den


def drawdown(logT, logS, r, t):
    T, S = math.exp(logT), math.exp(logS)
    u = r ** 2 * S / (4.0 * T * t)
    return Q / (4.0 * math.pi * T) * well_function(u)


def misfit(log_params, wells, sigma=0.005):
    logT, logS = log_params
    total = 0.0
    for r, times, obs in wells:
        for t, s_obs in zip(times, obs):
            total += ((drawdown(logT, logS, r, t) - s_obs) / sigma) ** 2
    return 0.5 * total


rng = np.random.default_rng(23)
T_true, S_true = 2e-3, 4e-4
wells = []
for r in (5.0, 20.0, 60.0):
    times = np.geomspace(60.0, 86400.0, 8)
    s = [drawdown(math.log(T_true), math.log(S_true), r, t) for t in times]
    wells.append((r, times, np.array(s) + 0.003 * rng.standard_normal(times.size)))
f = misfit
ARGS = (np.array([math.log(1e-3), math.log(1e-3)]), wells)
