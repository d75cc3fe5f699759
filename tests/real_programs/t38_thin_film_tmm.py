"""Anti-reflection coating design with the transfer-matrix method: complex 2x2 characteristic
matrices per layer (complex refractive indices, phase thickness), multiplied across the stack for
each wavelength, complex reflection coefficient r and reflectance |r|^2; layer thicknesses are
optimized to a target reflectance spectrum."""
import numpy as np


def layer_matrix(n, d, lam):
    delta = 2 * np.pi * n * d / lam
    return np.array([[np.cos(delta), 1j * np.sin(delta) / n],
                     [1j * n * np.sin(delta), np.cos(delta)]])


def reflectance(thick, indices, lam, n_in=1.0, n_sub=1.52):
    M = np.eye(2, dtype=complex)
    for n, d in zip(indices, thick):
        M = M @ layer_matrix(n, d, lam)
    B, Cc = M @ np.array([1.0, n_sub])
    r = (n_in * B - Cc) / (n_in * B + Cc)
    return np.abs(r) ** 2


def design_loss(thick, indices, wavelengths, target):
    R = np.array([reflectance(thick, indices, lam) for lam in wavelengths])
    return np.mean((R - target) ** 2) * 1e3


indices = [1.38 + 0.0j, 2.1 + 0.01j, 1.46 + 0.0j, 2.3 + 0.02j]
wavelengths = np.linspace(420.0, 680.0, 14)
target = 0.005 + 0.01 * ((wavelengths - 550.0) / 130.0) ** 2

f = design_loss
ARGS = (np.array([95.0, 60.0, 110.0, 30.0]), indices, wavelengths, target)
