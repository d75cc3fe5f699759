"""Two-operator FM synthesis: fit the carrier frequency, modulator ratio, modulation index and an
attack/decay envelope of an FM voice to a recorded note by comparing log-magnitude spectra
(Hann window, rfft) plus a small waveform term."""
import numpy as np

SR = 8000
N = 512


def envelope(t, attack, decay):
    return np.where(t < attack, t / attack, np.exp(-(t - attack) / decay))


def fm_voice(params, t):
    f0 = params["f0"]
    env = envelope(t, params["attack"], params["decay"])
    mod = params["index"] * env * np.sin(2 * np.pi * f0 * params["ratio"] * t)
    return env * np.sin(2 * np.pi * f0 * t + mod)


def spectral_loss(params, target, eps=1e-3):
    t = np.arange(N) / SR
    y = fm_voice(params, t)
    win = np.hanning(N)
    Y = np.abs(np.fft.rfft(y * win))
    T = np.abs(np.fft.rfft(target * win))
    return np.mean((np.log(Y + eps) - np.log(T + eps)) ** 2) + 0.1 * np.mean((y - target) ** 2)


rng = np.random.default_rng(501)
true = {"f0": 220.0, "ratio": 2.0, "index": 1.5, "attack": 0.004, "decay": 0.03}
target = fm_voice(true, np.arange(N) / SR) + 0.01 * rng.standard_normal(N)
params = {"f0": 221.3, "ratio": 1.97, "index": 1.2, "attack": 0.0052, "decay": 0.025}

f = spectral_loss
ARGS = (params, target)
