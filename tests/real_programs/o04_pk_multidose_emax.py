"""Population-free PK/PD fit for one subject on a repeated oral regimen: one-compartment model
with first-order absorption, concentrations by superposition over the list of doses (np.where for
the time after each dose), an effect-compartment delay and a sigmoid Emax (Hill) response.  Log-
parameters in one vector; the objective is the negative log-likelihood of proportional-error
concentrations and additive-error effects."""
import numpy as np


def concentration(t, dose_times, doses, ka, ke, V, F=0.9):
    c = np.zeros_like(t)
    for td, D in zip(dose_times, doses):
        dt = t - td
        after = dt > 0
        term = F * D * ka / (V * (ka - ke)) * (np.exp(-ke * dt) - np.exp(-ka * dt))
        c = c + np.where(after, term, 0.0)
    return c


def effect_site(t, c, ke0):
    ce = np.zeros_like(c)
    for i in range(1, len(t)):
        h = t[i] - t[i - 1]
        decay = np.exp(-ke0 * h)
        ce[i] = ce[i - 1] * decay + (1.0 - decay) * 0.5 * (c[i] + c[i - 1])
    return ce


def nll(log_theta, t, dose_times, doses, c_obs, e_obs):
    ka, ke, V, ke0, emax, ec50, hill, sd_c, sd_e = np.exp(log_theta)
    c = concentration(t, dose_times, doses, ka, ke, V)
    ce = effect_site(t, c, ke0)
    e = emax * ce ** hill / (ec50 ** hill + ce ** hill)
    obs = t > 0.0
    rc = (np.log(c_obs[obs]) - np.log(c[obs])) / sd_c
    re = (e_obs - e) / sd_e
    return 0.5 * np.sum(rc ** 2) + obs.sum() * np.log(sd_c) + 0.5 * np.sum(re ** 2) + len(t) * np.log(sd_e)


t = np.linspace(0.0, 72.0, 49)
dose_times = [0.0, 12.0, 24.0, 36.0, 48.0]
doses = [100.0, 100.0, 150.0, 150.0, 150.0]
true = np.log([1.2, 0.15, 20.0, 0.4, 80.0, 3.0, 1.8, 0.1, 2.0])
rng = np.random.default_rng(4)
ka, ke, V, ke0, emax, ec50, hill, _, _ = np.exp(true)
c_true = concentration(t, dose_times, doses, ka, ke, V)
ce_true = effect_site(t, c_true, ke0)
c_obs = np.maximum(c_true, 1e-3) * np.exp(0.1 * rng.standard_normal(len(t)))
e_obs = emax * ce_true ** hill / (ec50 ** hill + ce_true ** hill) + 2.0 * rng.standard_normal(len(t))
f = nll
ARGS = (true + 0.05 * rng.standard_normal(9), t, dose_times, doses, c_obs, e_obs)
