"""Seismic design of a shear building by modal response-spectrum analysis: tridiagonal storey
stiffness matrix assembled in a loop, mass matrix diagonal, generalised eigenproblem K phi = w^2 M phi
solved by the Cholesky reduction L^-1 K L^-T (np.linalg.cholesky, np.linalg.inv, np.linalg.eigh),
modal participation factors, a design spectrum Sa(T) with plateau and 1/T branches written with
np.minimum, peak storey drifts combined by SRSS over modes, and a drift-limit penalty plus a
stiffness-cost term.  Differentiated w.r.t. the storey stiffnesses."""
import numpy as np


def stiffness(k):
    n = len(k)
    K = np.zeros((n, n))
    for i in range(n):
        K[i, i] += k[i]
        if i + 1 < n:
            K[i, i] += k[i + 1]
            K[i, i + 1] -= k[i + 1]
            K[i + 1, i] -= k[i + 1]
    return K


def spectrum(T, ag=0.3 * 9.81, Tc=0.5):
    return ag * 2.5 * np.minimum(1.0, Tc / T)


def design_cost(k, masses, drift_limit=0.004, h=3.2):
    K = stiffness(k)
    L = np.linalg.cholesky(np.diag(masses))
    Linv = np.linalg.inv(L)
    w2, V = np.linalg.eigh(Linv @ K @ Linv.T)
    phi = Linv.T @ V
    omega = np.sqrt(w2)
    periods = 2 * np.pi / omega
    gamma = (phi.T @ masses) / np.einsum("im,i,im->m", phi, masses, phi)
    disp = phi * gamma * spectrum(periods) / omega ** 2
    drifts = np.diff(np.vstack([np.zeros(len(k)), disp]), axis=0)
    drift_srss = np.sqrt(np.sum(drifts ** 2, axis=1)) / h
    excess = np.maximum(drift_srss / drift_limit - 1.0, 0.0)
    return 100 * np.sum(excess ** 2) + 1e-9 * np.sum(k)


f = design_cost
LEAF_SCALED = "storey stiffnesses of 1e8 N/m and masses of 1e5 kg"
ARGS = (np.array([4.0e8, 3.5e8, 3.0e8, 2.2e8, 1.5e8]), np.array([3.0e5, 3.0e5, 2.8e5, 2.8e5, 2.2e5]))
