"""Updating a lumped mass-spring-damper chain (a shear-building model) from a measured frequency
response: the dynamic stiffness K - w^2 M + i w C with Rayleigh damping C = a M + b K is solved
for the displacement under a unit force at the top floor (complex np.linalg.solve), and the
log-magnitude misfit over frequencies is differentiated w.r.t. the storey stiffnesses and the two
Rayleigh coefficients."""
import numpy as np


def chain_stiffness(k):
    n = len(k)
    K = np.zeros((n, n))
    for i in range(n):
        K[i, i] += k[i]
        if i + 1 < n:
            K[i, i] += k[i + 1]
            K[i, i + 1] -= k[i + 1]
            K[i + 1, i] -= k[i + 1]
    return K


def frf(k, rayleigh, masses, omegas):
    M = np.diag(masses)
    K = chain_stiffness(k)
    Cd = rayleigh[0] * M + rayleigh[1] * K
    F = np.zeros(len(masses))
    F[-1] = 1.0
    mags = []
    for w in omegas:
        Z = K - w ** 2 * M + 1j * w * Cd
        u = np.linalg.solve(Z, F)
        mags.append(np.abs(u))
    return np.array(mags)


def misfit(k, rayleigh, masses, omegas, log_meas):
    H = frf(k, rayleigh, masses, omegas)
    return np.mean((np.log(H) - log_meas) ** 2)


masses = np.array([2.0, 2.0, 1.5, 1.0])
omegas = np.linspace(2.0, 40.0, 30)
k_true = np.array([800.0, 700.0, 600.0, 400.0])
rng = np.random.default_rng(29)
log_meas = np.log(frf(k_true, np.array([0.3, 0.002]), masses, omegas)) + 0.01 * rng.standard_normal((30, 4))
f = misfit
ARGS = (np.array([780.0, 720.0, 590.0, 420.0]), np.array([0.25, 0.0025]), masses, omegas, log_meas)
KW = {"wrt": ("k", "rayleigh")}
