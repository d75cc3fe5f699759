"""Derivative spectroscopy: Savitzky-Golay smoothing/differentiation coefficients computed the
classic way (Vandermonde of the window offsets, np.linalg.pinv, row `deriv` times factorial),
applied with np.convolve(mode="same") to a spectrum synthesised from a sum of Gaussian peaks
(amplitudes, centres, widths given as a list of (a, c, w) tuples) plus a linear baseline; the
second-derivative spectrum of the model is matched to the measured one.  Differentiated w.r.t.
the list of peak tuples."""
import math

import numpy as np


def savgol_coeffs(window, order, deriv=0, delta=1.0):
    half = window // 2
    offsets = np.arange(-half, half + 1)
    A = np.vander(offsets, order + 1, increasing=True).astype(float)
    return np.linalg.pinv(A)[deriv] * math.factorial(deriv) / delta ** deriv


def spectrum(x, peaks, baseline):
    y = baseline[0] + baseline[1] * x
    for a, c, w in peaks:
        y = y + a * np.exp(-0.5 * ((x - c) / w) ** 2)
    return y


def second_derivative_misfit(peaks, x, measured, baseline):
    dx = x[1] - x[0]
    model = spectrum(x, peaks, baseline)
    kernel = savgol_coeffs(11, 3, deriv=2, delta=dx)[::-1]
    d2_model = np.convolve(model, kernel, mode="same")
    d2_meas = np.convolve(measured, kernel, mode="same")
    interior = slice(6, -6)
    return float(np.sum((d2_model[interior] - d2_meas[interior]) ** 2) * dx)


x = np.linspace(400, 700, 301)
rng = np.random.default_rng(21)
truth = [(1.0, 480.0, 12.0), (0.6, 520.0, 8.0), (0.8, 610.0, 20.0)]
measured = spectrum(x, truth, (0.1, 1e-4)) + 0.002 * rng.standard_normal(len(x))
f = second_derivative_misfit
ARGS = ([(0.9, 482.0, 11.0), (0.7, 518.0, 9.0), (0.7, 605.0, 18.0)], x, measured, (0.1, 1e-4))
