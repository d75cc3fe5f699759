"""Deconvolution of an HPLC chromatogram into exponentially-modified Gaussian (EMG) peaks on a
polynomial baseline: each peak is a dict (area, centre, width, tail), the EMG evaluated stably
with scipy.special.erfcx, the peaks summed with map over a lambda that unpacks each dict as
keyword arguments (sorted by retention time first), and the weighted least-squares misfit plus a
resolution penalty between neighbouring peaks is differentiated w.r.t. the peak list and the
baseline coefficients."""
import numpy as np
from scipy.special import erfc, erfcx


def emg(t, area, centre, width, tail):
    z = (t - centre) / width
    arg = (width / tail - z) / np.sqrt(2.0)
    right = arg > 0                         # erfcx where it is stable, erfc where it is not
    g_right = np.exp(-0.5 * z ** 2) * erfcx(np.where(right, arg, 0.0))
    g_left = np.exp(0.5 * (width / tail) ** 2 - z * width / tail) * erfc(np.where(right, 0.0, arg))
    return area / (2.0 * tail) * np.where(right, g_right, g_left)


def model(peaks, base, t):
    ordered = sorted(peaks, key=lambda p: p["centre"])
    signal = sum(map(lambda p: emg(t, **p), ordered))
    return signal + np.polyval(base, t), ordered


def misfit(peaks, base, t, y, sigma=0.01):
    pred, ordered = model(peaks, base, t)
    chi2 = np.sum(((pred - y) / sigma) ** 2) / len(t)
    penalty = 0.0
    for left, right in zip(ordered[:-1], ordered[1:]):
        res = (right["centre"] - left["centre"]) / (2.0 * (left["width"] + right["width"]))
        penalty = penalty + np.maximum(0.8 - res, 0.0) ** 2
    return chi2 + penalty


t = np.linspace(0.0, 10.0, 300)
true_peaks = [{"area": 1.0, "centre": 3.0, "width": 0.15, "tail": 0.3},
              {"area": 0.6, "centre": 3.8, "width": 0.2, "tail": 0.4},
              {"area": 1.5, "centre": 6.5, "width": 0.25, "tail": 0.2}]
rng = np.random.default_rng(35)
y = model(true_peaks, np.array([0.002, 0.01]), t)[0] + 0.01 * rng.standard_normal(len(t))
start = [{"area": 0.9, "centre": 6.4, "width": 0.22, "tail": 0.25},
         {"area": 1.1, "centre": 3.05, "width": 0.14, "tail": 0.28},
         {"area": 0.5, "centre": 3.7, "width": 0.21, "tail": 0.35}]
f = misfit
ARGS = (start, np.array([0.0, 0.012]), t, y)
KW = {"wrt": ("peaks", "base")}
