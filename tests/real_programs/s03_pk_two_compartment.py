"""Two-compartment pharmacokinetic model with first-order absorption and a repeated oral dosing
schedule; the parameters live in a dataclass of log-rates, doses are added at event times, the ODE
is stepped with RK4, and the fit is a log-normal likelihood of concentration samples."""
from dataclasses import dataclass

import numpy as np


@dataclass
class PKParams:
    log_ka: float
    log_cl: float
    log_v1: float
    log_q: float
    log_v2: float
    log_sigma: float

    @property
    def ka(self):
        return np.exp(self.log_ka)

    @property
    def k10(self):
        return np.exp(self.log_cl - self.log_v1)

    @property
    def k12(self):
        return np.exp(self.log_q - self.log_v1)

    @property
    def k21(self):
        return np.exp(self.log_q - self.log_v2)


def rhs(state, p):
    gut, central, periph = state
    d_gut = -p.ka * gut
    d_central = p.ka * gut - (p.k10 + p.k12) * central + p.k21 * periph
    d_periph = p.k12 * central - p.k21 * periph
    return np.array([d_gut, d_central, d_periph])


def rk4_step(state, p, h):
    k1 = rhs(state, p)
    k2 = rhs(state + 0.5 * h * k1, p)
    k3 = rhs(state + 0.5 * h * k2, p)
    k4 = rhs(state + h * k3, p)
    return state + h / 6.0 * (k1 + 2 * k2 + 2 * k3 + k4)


DOSES = {0: 100.0, 24: 100.0, 48: 100.0}   # step index -> mg
SAMPLE_STEPS = [2, 6, 12, 20, 26, 30, 40, 50, 60, 70]


def neg_log_lik(p, obs, dt=1.0, n_steps=72):
    state = np.zeros(3)
    preds = []
    for step in range(n_steps + 1):
        if step in DOSES:
            state = state + np.array([DOSES[step], 0.0, 0.0])
        if step in SAMPLE_STEPS:
            preds.append(state[1] / np.exp(p.log_v1))
        state = rk4_step(state, p, dt)
    conc = np.array(preds)
    sigma = np.exp(p.log_sigma)
    r = (np.log(obs) - np.log(conc)) / sigma
    return 0.5 * np.sum(r ** 2) + len(obs) * np.log(sigma)


truth = PKParams(np.log(0.8), np.log(5.0), np.log(30.0), np.log(3.0), np.log(60.0), np.log(0.1))
rng = np.random.default_rng(3)


def _simulate(p):
    state = np.zeros(3)
    out = []
    for step in range(73):
        if step in DOSES:
            state = state + np.array([DOSES[step], 0.0, 0.0])
        if step in SAMPLE_STEPS:
            out.append(state[1] / np.exp(p.log_v1))
        state = rk4_step(state, p, 1.0)
    return np.array(out)


obs = _simulate(truth) * np.exp(0.1 * rng.standard_normal(len(SAMPLE_STEPS)))
start = PKParams(np.log(1.0), np.log(4.0), np.log(25.0), np.log(2.0), np.log(50.0), np.log(0.2))

f = neg_log_lik
ARGS = (start, obs)
