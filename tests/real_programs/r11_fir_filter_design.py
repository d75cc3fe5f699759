"""Least-squares design of a low-pass FIR filter: the frequency response is sampled with a
zero-padded np.fft.rfft, the passband magnitude is pulled to 1, the stopband energy to 0, the
transition band ignored; settings live in a module-level config dict."""
import numpy as np

CONFIG = {
    "n_fft": 256,
    "passband_edge": 0.20,   # cycles/sample
    "stopband_edge": 0.28,
    "stop_weight": 10.0,
    "energy_weight": 1e-3,
}


def frequency_response(h, n_fft=None):
    n_fft = n_fft or CONFIG["n_fft"]
    H = np.fft.rfft(h, n=n_fft)
    freqs = np.fft.rfftfreq(n_fft)
    return freqs, H


def design_loss(h, cfg=CONFIG):
    freqs, H = frequency_response(h, cfg["n_fft"])
    mag = np.abs(H)
    passband = freqs <= cfg["passband_edge"]
    stopband = freqs >= cfg["stopband_edge"]
    pass_err = np.mean((mag[passband] - 1.0) ** 2)
    stop_err = np.mean(mag[stopband] ** 2)
    return pass_err + cfg["stop_weight"] * stop_err + cfg["energy_weight"] * np.sum(h ** 2)


rng = np.random.default_rng(111)
n_taps = 31
n = np.arange(n_taps) - (n_taps - 1) / 2
h0 = 0.48 * np.sinc(0.48 * n) * np.hamming(n_taps) + 0.01 * rng.standard_normal(n_taps)

f = design_loss
ARGS = (h0,)
