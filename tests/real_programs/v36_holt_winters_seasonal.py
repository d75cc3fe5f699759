"""Additive Holt-Winters exponential smoothing fitted by one-step-ahead squared error, as textbooks
write it: smoothing constants from a sigmoid of free parameters (unpacked from an array slice), the
seasonal indices kept in a Python list updated at season[t % m], level/trend carried as floats, the
initial state from the first two seasons."""
import numpy as np


def holt_winters_sse(params, y, m=4):
    alpha, beta, gamma = 1.0 / (1.0 + np.exp(-params[:3]))
    level = y[:m].mean()
    trend = (y[m:2 * m].mean() - y[:m].mean()) / m
    season = list(y[:m] - level)
    sse = 0.0
    for t in range(len(y)):
        s = season[t % m]
        y_hat = level + trend + s
        sse += (y[t] - y_hat) ** 2
        new_level = alpha * (y[t] - s) + (1 - alpha) * (level + trend)
        trend = beta * (new_level - level) + (1 - beta) * trend
        season[t % m] = gamma * (y[t] - new_level) + (1 - gamma) * s
        level = new_level
    return sse / len(y)


rng = np.random.default_rng(736)
t = np.arange(32)
y = 10 + 0.3 * t + np.tile([2.0, -1.0, 0.5, -1.5], 8) + 0.3 * rng.standard_normal(32)
f = holt_winters_sse
ARGS = (np.array([0.0, -1.5, -1.0]), y)
