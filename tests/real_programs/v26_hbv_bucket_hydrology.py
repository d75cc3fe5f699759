"""A daily HBV-style conceptual rainfall-runoff model (snow, soil, upper and lower zone buckets)
written as a scalar loop over zip(precip, temp, pet) with Python min/max, `+=`/`-=` on floats, an
if/else on the temperature threshold, and a seasonal degree-day factor from np.interp whose knots
hold parameters; the Nash-Sutcliffe loss 1 - NSE is differentiated w.r.t. the parameter dict."""
import numpy as np


def hbv_run(p, precip, temp, pet, days):
    snow, soil, suz, slz = 0.0, 60.0, 5.0, 20.0
    q = []
    for P, T, E, day in zip(precip, temp, pet, days):
        cfmax = np.interp(day % 365, [0.0, 90.0, 180.0, 270.0, 365.0],
                          [p["cf_winter"], p["cf_spring"], p["cf_summer"], p["cf_spring"], p["cf_winter"]])
        if T < p["TT"]:
            snow += P
            rain = 0.0
        else:
            rain = P
        melt = min(snow, cfmax * max(T - p["TT"], 0.0))
        snow -= melt
        inflow = rain + melt
        recharge = inflow * (soil / p["FC"]) ** p["BETA"]
        soil += inflow - recharge
        et = E * min(soil / (p["LP"] * p["FC"]), 1.0)
        soil = max(soil - et, 0.0)
        suz += recharge
        perc = min(p["PERC"], suz)
        suz -= perc
        slz += perc
        q0 = p["K0"] * max(suz - p["UZL"], 0.0)
        q1 = p["K1"] * suz
        q2 = p["K2"] * slz
        suz -= q0 + q1
        slz -= q2
        q.append(q0 + q1 + q2)
    return np.array(q)


def one_minus_nse(p, precip, temp, pet, days, q_obs):
    q_sim = hbv_run(p, precip, temp, pet, days)
    return np.sum((q_sim - q_obs) ** 2) / np.sum((q_obs - q_obs.mean()) ** 2)


rng = np.random.default_rng(726)
n = 80
days = np.arange(40, 40 + n, dtype=float)
temp = 2.0 + 8.0 * np.sin(2 * np.pi * (days - 100) / 365) + 2.5 * rng.standard_normal(n)
precip = np.where(rng.random(n) < 0.35, rng.exponential(6.0, n), 0.0)
pet = np.clip(0.1 * (temp + 5.0), 0.05, None)
true = {"TT": 0.3, "cf_winter": 2.0, "cf_spring": 3.5, "cf_summer": 4.0, "FC": 150.0, "BETA": 2.0,
        "LP": 0.7, "PERC": 1.5, "UZL": 10.0, "K0": 0.2, "K1": 0.08, "K2": 0.02}
q_obs = hbv_run(true, precip, temp, pet, days) * (1 + 0.05 * rng.standard_normal(n))
guess = {"TT": -0.2, "cf_winter": 1.7, "cf_spring": 3.0, "cf_summer": 4.5, "FC": 180.0, "BETA": 1.6,
         "LP": 0.6, "PERC": 1.2, "UZL": 8.0, "K0": 0.25, "K1": 0.06, "K2": 0.025}
f = one_minus_nse
ARGS = (guess, precip, temp, pet, days, q_obs)
