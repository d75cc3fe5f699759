"""Calibrating the gains and offsets of 6 temperature sensors against a reference probe; dropouts in
the logged data are stored as NaN (as pandas exports them).  Calibrated readings = gain * raw +
offset; the fit uses np.nanmean of squared errors, each sensor's calibrated peak (np.nanmax) must
match the reference peak, and a robust per-sensor spread (np.nanstd-free: np.nanmean of squared
deviations) is regularised.  Differentiated w.r.t. the calibration dict."""
import numpy as np


def calib_loss(cal, raw, ref):
    calibrated = cal["gain"][:, None] * raw + cal["offset"][:, None]
    err = np.nanmean((calibrated - ref[None, :]) ** 2)
    peaks = np.nanmax(calibrated, axis=1)
    peak_err = np.sum((peaks - ref.max()) ** 2)
    centred = calibrated - np.nanmean(calibrated, axis=1, keepdims=True)
    spread = np.nanmean(centred ** 2, axis=1)
    return err + 0.1 * peak_err + 0.01 * np.sum((spread - ref.var()) ** 2)


rng = np.random.default_rng(34)
t = np.linspace(0, 1, 50)
ref = 20 + 5 * np.sin(2 * np.pi * t)
true_gain = rng.uniform(0.9, 1.1, 6)
true_off = rng.normal(0, 0.5, 6)
raw = (ref[None, :] - true_off[:, None]) / true_gain[:, None] + 0.05 * rng.standard_normal((6, 50))
raw[rng.random((6, 50)) < 0.1] = np.nan
f = calib_loss
ARGS = ({"gain": np.ones(6), "offset": np.zeros(6)}, raw, ref)
