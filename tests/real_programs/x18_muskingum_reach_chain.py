"""Flood routing down a chain of river reaches with the Muskingum method: each reach is a dict
with its storage constant K (hours) and weighting X, the routing coefficients C0, C1, C2 come from
a helper returning a tuple, each reach routes the hydrograph coming out of the one upstream
(plus a lateral tributary for reaches that have one: `reach.get("lateral")` checked against None)
in a time loop writing into a preallocated outflow array; the objective is 1 - Nash-Sutcliffe
efficiency at the outlet gauge, differentiated w.r.t. the list of reach dicts."""
import numpy as np

DT = 1.0


def muskingum_coefficients(K, X, dt=DT):
    denom = 2 * K * (1 - X) + dt
    c0 = (dt - 2 * K * X) / denom
    c1 = (dt + 2 * K * X) / denom
    c2 = (2 * K * (1 - X) - dt) / denom
    return c0, c1, c2


def route(inflow, K, X):
    c0, c1, c2 = muskingum_coefficients(K, X)
    out = np.empty_like(inflow)
    out[0] = inflow[0]
    for t in range(1, len(inflow)):
        out[t] = c0 * inflow[t] + c1 * inflow[t - 1] + c2 * out[t - 1]
    return out


def one_minus_nse(reaches, upstream, laterals, observed):
    q = upstream
    for i, reach in enumerate(reaches):
        q = route(q, reach["K"], reach["X"])
        if reach.get("lateral") is not None:
            q = q + laterals[reach["lateral"]]
    return np.sum((q - observed) ** 2) / np.sum((observed - observed.mean()) ** 2)


t = np.arange(120.0)
upstream = 20.0 + 180.0 * (t / 18.0) ** 3 * np.exp(3 * (1 - t / 18.0)) / 1.0
laterals = {"creek": 5.0 + 30.0 * np.exp(-0.5 * ((t - 30) / 6.0) ** 2)}
truth = [{"K": 6.0, "X": 0.2}, {"K": 9.0, "X": 0.15, "lateral": "creek"}, {"K": 4.0, "X": 0.25}]
q = upstream
for r in truth:
    q = route(q, r["K"], r["X"])
    if r.get("lateral") is not None:
        q = q + laterals[r["lateral"]]
observed = q * (1 + 0.02 * np.sin(t / 5))
f = one_minus_nse
ARGS = ([{"K": 5.0, "X": 0.25}, {"K": 10.0, "X": 0.1, "lateral": "creek"}, {"K": 5.0, "X": 0.2}], upstream, laterals, observed)
