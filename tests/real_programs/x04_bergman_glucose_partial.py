"""Bergman minimal model of glucose-insulin dynamics fitted to a continuous glucose monitor trace
after a meal: the right-hand side takes its physiological parameters from a dict and is bound
with functools.partial, the meal appearance rate is a closure over the meal time and size, the
state is integrated with explicit Euler in a `for` loop over `enumerate(times[1:], start=1)`,
readings every 5 minutes are taken with `if k % 5 == 0`; squared glucose error plus a weak prior,
differentiated w.r.t. the dict of parameters."""
import functools

import numpy as np

GB, IB, VG = 90.0, 10.0, 1.7


def make_meal(t_meal, grams, tau=40.0):
    def ra(t):
        s = max(t - t_meal, 0.0)
        return grams * 1000.0 / VG * s / tau ** 2 * np.exp(-s / tau) / 70.0
    return ra


def rhs(state, t, u, meal, p):
    G, X, I = state
    dG = -(p["SG"] + X) * G + p["SG"] * GB + meal(t)
    dX = -p["p2"] * X + p["p2"] * p["SI"] * (I - IB)
    dI = -p["n"] * (I - IB) + u / p["VI"]
    return np.array([dG, dX, dI])


def cgm_loss(p, times, insulin, cgm, prior):
    meal = make_meal(30.0, 60.0)
    f = functools.partial(rhs, meal=meal, p=p)
    state = np.array([GB, 0.0, IB])
    dt = times[1] - times[0]
    sq = 0.0
    for k, t in enumerate(times[1:], start=1):
        state = state + dt * f(state, t - dt, insulin[k - 1])
        if k % 5 == 0:
            sq += (state[0] - cgm[k // 5]) ** 2
    reg = sum((p[name] / prior[name] - 1.0) ** 2 for name in prior)
    return sq / len(cgm) + 0.1 * reg


times = np.arange(0.0, 241.0, 1.0)
insulin = np.where((times >= 25) & (times < 35), 80.0, 1.0)
truth = {"SG": 0.014, "SI": 6e-4, "p2": 0.025, "n": 0.14, "VI": 12.0}


def simulate(p):
    meal = make_meal(30.0, 60.0)
    state = np.array([GB, 0.0, IB])
    out = [state[0]]
    for k in range(1, len(times)):
        state = state + 1.0 * rhs(state, times[k - 1], insulin[k - 1], meal, p)
        if k % 5 == 0:
            out.append(state[0])
    return np.array(out)


cgm = simulate(truth) + 2.0 * np.sin(np.arange(49) * 0.7)
prior = {"SG": 0.01, "SI": 5e-4, "p2": 0.02, "n": 0.1, "VI": 12.0}
f = cgm_loss
ARGS = ({"SG": 0.012, "SI": 5e-4, "p2": 0.03, "n": 0.12, "VI": 11.0}, times, insulin, cgm, prior)
