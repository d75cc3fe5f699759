"""Raman spectrum fitting with polynomial baseline removal: Lorentzian peaks from a parameter table,
the residual's slow baseline found by np.polyfit(deg=3) on the edges and subtracted with np.polyval,
then a weighted least-squares loss; peak widths kept positive with np.exp."""
import numpy as np


def lorentz(x, x0, gamma, amp):
    return amp * gamma ** 2 / ((x - x0) ** 2 + gamma ** 2)


def spectrum_loss(peaks, x, y, edge_mask):
    model = np.zeros_like(x)
    for x0, lg, la in peaks:
        model = model + lorentz(x, x0, np.exp(lg), np.exp(la))
    resid = y - model
    coeffs = np.polyfit(x[edge_mask], resid[edge_mask], 3)
    baseline = np.polyval(coeffs, x)
    r = resid - baseline
    w = 1.0 / (1.0 + np.abs(x - x.mean()) / 200.0)
    return np.sum(w * r ** 2) / len(x)


rng = np.random.default_rng(106)
x = np.linspace(400.0, 1600.0, 120)
true = [(700.0, np.log(15.0), np.log(3.0)), (1000.0, np.log(25.0), np.log(5.0)), (1350.0, np.log(10.0), np.log(2.0))]
y = sum(lorentz(x, a, np.exp(b), np.exp(c)) for a, b, c in true)
y = y + 1e-6 * (x - 900) ** 2 + 0.002 * x + 0.05 * rng.standard_normal(x.size)
edge_mask = (x < 550) | (x > 1450) | ((x > 820) & (x < 880))
peaks = np.array(true) + np.array([5.0, 0.1, 0.05]) * rng.standard_normal((3, 3))

f = spectrum_loss
ARGS = (peaks, x, y, edge_mask)
