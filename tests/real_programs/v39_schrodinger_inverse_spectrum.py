"""Inverse spectral problem for the 1-D Schrodinger equation: the finite-difference Hamiltonian
(kinetic term from np.diag of off-diagonals, potential from np.polyval of the coefficients being
fitted), the lowest levels by np.linalg.eigvalsh and the ground-state density from np.linalg.eigh,
both matched to targets (a slightly asymmetric double well)."""
import numpy as np


def hamiltonian(V, dx):
    n = len(V)
    off = np.ones(n - 1)
    T = -0.5 / dx ** 2 * (np.diag(off, -1) - 2.0 * np.eye(n) + np.diag(off, 1))
    return T + np.diag(V)


def spectrum_loss(coeffs, x, target_levels, target_density, w_density=10.0):
    dx = x[1] - x[0]
    H = hamiltonian(np.polyval(coeffs, x), dx)
    E = np.linalg.eigvalsh(H)[: len(target_levels)]
    _, psi = np.linalg.eigh(H)
    density = psi[:, 0] ** 2 / dx
    return np.sum((E - target_levels) ** 2) + w_density * np.sum((density - target_density) ** 2) * dx


x = np.linspace(-3, 3, 48)
true_coeffs = np.array([0.25, 0.0, -1.0, 0.3, 1.0])
H_true = hamiltonian(np.polyval(true_coeffs, x), x[1] - x[0])
w_true, v_true = np.linalg.eigh(H_true)
f = spectrum_loss
ARGS = (np.array([0.22, 0.02, -0.9, 0.25, 0.9]), x, w_true[:4] + 0.01, v_true[:, 0] ** 2 / (x[1] - x[0]))
