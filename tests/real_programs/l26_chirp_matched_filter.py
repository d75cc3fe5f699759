"""Radar pulse design: a windowed linear-FM chirp (np.hanning window), a fractional-delay echo built
with a np.sinc interpolation kernel and np.convolve(mode='same'), matched filtering by
np.correlate(mode='full'), time reversal by np.flip, sidelobe energy outside the main lobe and a soft
peak via scipy.special.logsumexp; w.r.t. the chirp parameters."""
import numpy as np
from scipy.special import logsumexp


def chirp(params, n, fs=1.0):
    f0, k, log_amp = params
    t = np.arange(n) / fs
    return np.exp(log_amp) * np.hanning(n) * np.cos(2 * np.pi * (f0 * t + 0.5 * k * t ** 2))


def echo(pulse, delay, atten=0.6, taps=9):
    m = np.arange(taps) - taps // 2
    h = np.sinc(m - (delay - np.floor(delay)))
    shifted = np.convolve(pulse, h, mode="same")
    return atten * np.roll(shifted, int(np.floor(delay)))


def design_loss(params, noise, delay=5.3, n=24, main=3):
    p = chirp(params, n)
    rx = echo(p, delay) + noise
    mf = np.correlate(rx, p, mode="full")
    auto = np.convolve(p, np.flip(p))                     # autocorrelation, written as a convolution
    c = len(auto) // 2
    side = np.sum(auto[: c - main] ** 2) + np.sum(auto[c + main + 1:] ** 2)
    peak = logsumexp(4 * mf / np.max(np.abs(auto))) / 4
    energy = np.sum(p ** 2)
    return side / energy ** 2 - 0.1 * peak + 0.01 * (energy - 8.0) ** 2


rng = np.random.default_rng(126)
noise = 0.05 * rng.standard_normal(24)
params = np.array([0.05, 0.012, 0.3])

f = design_loss
ARGS = (params, noise)
