"""SEIR epidemic with a hospital compartment, a lockdown triggered when hospital occupancy passes
a threshold (and lifted when it falls below half of it), and a vaccination schedule given as a list
of (start_day, daily_rate).  The state is a dict updated in the daily loop with Euler sub-steps;
the fit is a Poisson-like deviance of daily hospital admissions, w.r.t. the dict of rates."""
import numpy as np

POP = 1.0e6


def vaccination_rate(day, schedule):
    rate = 0.0
    for start, r in schedule:
        if day >= start:
            rate = r
    return rate


def simulate(params, days=80, substeps=4, threshold=600.0):
    state = {"S": POP - 50.0, "E": 30.0, "I": 20.0, "H": 0.0, "R": 0.0}
    schedule = [(30, 0.002), (50, 0.006)]
    lockdown = False
    admissions = []
    dt = 1.0 / substeps
    for day in range(days):
        if not lockdown and state["H"] > threshold:
            lockdown = True
        elif lockdown and state["H"] < 0.5 * threshold:
            lockdown = False
        beta = params["beta"] * (1.0 - params["lockdown_eff"] if lockdown else 1.0)
        nu = vaccination_rate(day, schedule)
        adm_today = 0.0
        for _ in range(substeps):
            inf = beta * state["S"] * state["I"] / POP
            onset = params["sigma"] * state["E"]
            to_h = params["hosp_frac"] * params["gamma"] * state["I"]
            rec = (1.0 - params["hosp_frac"]) * params["gamma"] * state["I"]
            dis = state["H"] / params["los"]
            vac = nu * state["S"]
            state["S"] = state["S"] - dt * (inf + vac)
            state["E"] = state["E"] + dt * (inf - onset)
            state["I"] = state["I"] + dt * (onset - to_h - rec)
            state["H"] = state["H"] + dt * (to_h - dis)
            state["R"] = state["R"] + dt * (rec + dis + vac)
            adm_today += dt * to_h
        admissions.append(adm_today)
    return np.array(admissions)


def deviance(params, observed):
    mu = simulate(params)
    return 2.0 * np.sum(observed * np.log(observed / mu) - (observed - mu))


true = {"beta": 0.42, "sigma": 0.25, "gamma": 0.2, "hosp_frac": 0.05, "los": 8.0, "lockdown_eff": 0.6}
rng = np.random.default_rng(2)
obs = np.maximum(simulate(true) * np.exp(0.1 * rng.standard_normal(80)), 0.5)
f = deviance
ARGS = ({"beta": 0.40, "sigma": 0.22, "gamma": 0.19, "hosp_frac": 0.048, "los": 7.5, "lockdown_eff": 0.55}, obs)
