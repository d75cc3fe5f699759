"""1-D elastoplasticity with linear isotropic hardening at many material points: a strain history
is applied step by step, the trial stress is tested against the yield surface with a boolean mask,
and plastic points are corrected with masked in-place writes (return mapping); Young's modulus,
hardening modulus and yield stress are fitted to measured stresses."""
import numpy as np


def stress_history(params, strains):
    E, H, sigma_y = params["E"], params["H"], params["sigma_y"]
    n_steps, n_pts = strains.shape
    eps_p = np.zeros(n_pts)
    alpha = np.zeros(n_pts)
    out = np.zeros((n_steps, n_pts))
    for s in range(n_steps):
        sigma_trial = E * (strains[s] - eps_p)
        f_trial = np.abs(sigma_trial) - (sigma_y + H * alpha)
        plastic = f_trial > 0
        sigma = sigma_trial.copy()
        dgamma = f_trial[plastic] / (E + H)
        sign = np.sign(sigma_trial[plastic])
        sigma[plastic] -= E * dgamma * sign
        eps_p[plastic] += dgamma * sign
        alpha[plastic] += dgamma
        out[s] = sigma
    return out


def fit_loss(params, strains, measured):
    pred = stress_history(params, strains)
    return np.mean((pred - measured) ** 2) / 100.0


n_steps, n_pts = 30, 6
t = np.linspace(0, 1, n_steps)
amps = np.linspace(0.002, 0.006, n_pts)
strains = np.sin(2 * np.pi * 1.5 * t)[:, None] * amps[None, :]
true = {"E": 200e3 / 1000, "H": 10e3 / 1000, "sigma_y": 0.25}
rng = np.random.default_rng(534)
measured = stress_history(true, strains) + 0.002 * rng.standard_normal((n_steps, n_pts))
params = {"E": 190.0, "H": 12.0, "sigma_y": 0.27}

f = fit_loss
ARGS = (params, strains, measured)
