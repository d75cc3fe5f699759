"""Autoregressive spectral matching: the biased autocorrelation of a signal, Levinson-Durbin
recursion for the AR coefficients and prediction-error power, then the log AR spectrum compared
with a target on a frequency grid.  Differentiated with respect to the raw signal."""
import numpy as np


def autocorr(x, maxlag):
    x = x - x.mean()
    n = len(x)
    return np.array([np.dot(x[: n - k], x[k:]) / n for k in range(maxlag + 1)])


def levinson_durbin(r, order):
    a = np.zeros(order + 1)
    a[0] = 1.0
    err = r[0]
    for k in range(1, order + 1):
        acc = r[k]
        for j in range(1, k):
            acc = acc + a[j] * r[k - j]
        refl = -acc / err
        a_prev = a.copy()
        for j in range(1, k):
            a[j] = a_prev[j] + refl * a_prev[k - j]
        a[k] = refl
        err = err * (1.0 - refl ** 2)
    return a, err


def ar_log_spectrum(a, sigma2, freqs):
    k = np.arange(len(a))
    re = np.cos(2 * np.pi * np.outer(freqs, k)) @ a
    im = np.sin(2 * np.pi * np.outer(freqs, k)) @ a
    return np.log(sigma2) - np.log(re ** 2 + im ** 2)


def spectral_loss(x, target_logspec, order=4):
    r = autocorr(x, order)
    a, sigma2 = levinson_durbin(r, order)
    freqs = np.linspace(0.0, 0.5, len(target_logspec))
    S = ar_log_spectrum(a, sigma2, freqs)
    return np.mean((S - target_logspec) ** 2)


rng = np.random.default_rng(2)
n = 64
e = rng.standard_normal(n)
x = np.zeros(n)
for t in range(2, n):
    x[t] = 1.2 * x[t - 1] - 0.5 * x[t - 2] + e[t]
target = ar_log_spectrum(np.array([1.0, -1.1, 0.45, 0.0, 0.0]), 1.0, np.linspace(0, 0.5, 25))

f = spectral_loss
ARGS = (x, target)
