"""Crop yield model from daily temperatures: growing degree days by np.piecewise with lambdas that
close over the learnable base/cap temperatures, a heat-stress index by np.select over three regimes,
logistic yield response; squared error over several seasons."""
import numpy as np


def gdd(T, base, cap):
    return np.piecewise(T, [T < base, (T >= base) & (T < cap), T >= cap],
                        [0.0, lambda t: t - base, cap - base])


def stress(Tmax, hot):
    conds = [Tmax < hot, (Tmax >= hot) & (Tmax < hot + 5), Tmax >= hot + 5]
    vals = [np.zeros_like(Tmax), (Tmax - hot) / 5.0, np.ones_like(Tmax)]
    return np.select(conds, vals)


def yield_loss(theta, Tmean, Tmax, obs):
    base, cap, hot, ymax, k, x50 = theta
    preds = []
    for s in range(Tmean.shape[0]):
        acc = np.sum(gdd(Tmean[s], base, cap))
        st = np.mean(stress(Tmax[s], hot))
        preds.append(ymax * (1 - 0.5 * st) / (1 + np.exp(-k * (acc - x50) / 100.0)))
    preds = np.array(preds)
    return np.mean((preds - obs) ** 2)


rng = np.random.default_rng(108)
S, D = 5, 60
Tmean = 18 + 8 * np.sin(np.linspace(0, np.pi, D))[None, :] + rng.normal(0, 3, (S, D)) + rng.normal(0, 1.5, (S, 1))
Tmax = Tmean + 7 + rng.normal(0, 1.5, (S, D))
obs = np.array([7.9, 8.4, 6.8, 9.1, 7.5])
theta = np.array([10.03, 29.97, 31.01, 9.5, 1.2, 700.0])

f = yield_loss
ARGS = (theta, Tmean, Tmax, obs)
