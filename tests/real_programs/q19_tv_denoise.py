"""Total-variation image denoising objective: forward differences with np.roll (periodic),
smoothed isotropic TV sqrt(eps + dx^2 + dy^2), data fidelity."""
import numpy as np

def tv_energy(u, f_noisy, lam=0.1, eps=1e-3):
    dx = np.roll(u, -1, axis=1) - u
    dy = np.roll(u, -1, axis=0) - u
    tv = np.sum(np.sqrt(eps + dx ** 2 + dy ** 2))
    fidelity = 0.5 * np.sum((u - f_noisy) ** 2)
    return fidelity + lam * tv

rng = np.random.default_rng(19)
clean = np.zeros((12, 10)); clean[3:8, 2:7] = 1.0
noisy = clean + 0.2 * rng.standard_normal(clean.shape)
f = tv_energy
ARGS = (noisy.copy() + 0.01 * rng.standard_normal(clean.shape), noisy)
EXTRA = ["jvp", "numba"]
