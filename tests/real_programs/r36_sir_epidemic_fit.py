"""Fitting an SIR epidemic model to daily case counts: parameters in a dataclass (log rates and a
logit initial prevalence), Euler sub-steps per day, new infections collected in a list, a Poisson
likelihood that skips missing days (NaN) with `continue`."""
import numpy as np
from dataclasses import dataclass
from scipy.special import expit

POPULATION = 10_000.0


@dataclass
class SIRParams:
    log_beta: float
    log_gamma: float
    logit_i0: float


def simulate(p, n_days, substeps=4):
    beta, gamma = np.exp(p.log_beta), np.exp(p.log_gamma)
    i = expit(p.logit_i0)
    s, r = 1.0 - i, 0.0
    h = 1.0 / substeps
    new_cases = []
    for day in range(n_days):
        infected_today = 0.0
        for _ in range(substeps):
            inf = beta * s * i * h
            rec = gamma * i * h
            s, i, r = s - inf, i + inf - rec, r + rec
            infected_today += inf
        new_cases.append(infected_today * POPULATION)
    return np.array(new_cases)


def poisson_nll(p, cases):
    lam = simulate(p, len(cases))
    nll = 0.0
    for t, y in enumerate(cases):
        if np.isnan(y):
            continue
        nll += lam[t] - y * np.log(lam[t])
    return nll / np.sum(~np.isnan(cases))


rng = np.random.default_rng(136)
truth = SIRParams(np.log(0.35), np.log(0.1), -6.0)
cases = rng.poisson(simulate(truth, 40)).astype(float)
cases[[5, 17, 18, 33]] = np.nan

f = poisson_nll
ARGS = (SIRParams(np.log(0.3), np.log(0.12), -5.5), cases)
