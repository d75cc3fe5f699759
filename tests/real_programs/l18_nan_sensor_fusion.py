"""Multi-sensor fusion with dropouts: each sensor's readings (NaN where missing) get a learnable gain
and bias, the fused estimate is np.nanmean over sensors, disagreement is np.nanstd/np.nanvar, missing
counts via np.isnan; loss on the fused track plus np.nansum of squared per-sensor residuals."""
import numpy as np


def fusion_loss(gain, bias, raw, truth):
    cal = gain[:, None] * raw + bias[:, None]
    fused = np.nanmean(cal, axis=0)
    spread = np.nanstd(cal, axis=0)
    n_ok = np.sum(~np.isnan(raw), axis=0)
    w = n_ok / raw.shape[0]
    track = np.mean(w * (fused - truth) ** 2)
    per = np.nansum((cal - truth[None, :]) ** 2) / np.sum(n_ok)
    var = np.nanvar(cal, axis=1)
    return track + 0.1 * per + 0.05 * np.mean(spread) + 0.01 * np.sum(var)


rng = np.random.default_rng(118)
S, T = 4, 30
truth = np.cumsum(rng.normal(0, 0.3, T)) + 10
g_true = rng.uniform(0.8, 1.2, S)
b_true = rng.normal(0, 1, S)
raw = (truth[None, :] - b_true[:, None]) / g_true[:, None] + 0.1 * rng.standard_normal((S, T))
raw[rng.random((S, T)) < 0.2] = np.nan
raw[:, 5] = np.nan
raw[0, 5] = 9.5                       # at t=5 only one sensor reports
gain = np.ones(S) + 0.05 * rng.standard_normal(S)
bias = np.zeros(S)

f = fusion_loss
ARGS = (gain, bias, raw, truth)
KW = {"wrt": ("gain", "bias")}
