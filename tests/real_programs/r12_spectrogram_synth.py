"""Additive synthesiser matched to a target by a log-magnitude spectrogram loss: a sum of
sinusoids with learnable amplitudes, frequencies and decay rates, framed with a list
comprehension, Hann-windowed and transformed with np.fft.rfft."""
import numpy as np

SR = 8000
FRAME, HOP = 256, 128


def synth(params, n_samples, sr=SR):
    t = np.arange(n_samples) / sr
    amps = np.exp(params["log_amp"])
    freqs = params["freq"]
    decay = np.exp(params["log_decay"])
    partials = amps[:, None] * np.exp(-decay[:, None] * t) * np.sin(2 * np.pi * freqs[:, None] * t)
    return partials.sum(axis=0)


def stft_mag(x, frame=FRAME, hop=HOP):
    window = np.hanning(frame)
    frames = np.array([x[i:i + frame] * window for i in range(0, len(x) - frame + 1, hop)])
    return np.abs(np.fft.rfft(frames, axis=1))


def spectral_loss(params, target_spec, n_samples, eps=1e-2):
    S = stft_mag(synth(params, n_samples))
    log_diff = np.log(S + eps) - np.log(target_spec + eps)
    lin_diff = S - target_spec
    return np.mean(log_diff ** 2) + np.mean(lin_diff ** 2) / np.mean(target_spec ** 2)


n_samples = 2048
true = {"log_amp": np.log(np.array([0.5, 0.3, 0.2])), "freq": np.array([440.0, 880.0, 1320.0]),
        "log_decay": np.log(np.array([3.0, 5.0, 8.0]))}
target_spec = stft_mag(synth(true, n_samples))
params = {"log_amp": np.log(np.array([0.4, 0.35, 0.1])), "freq": np.array([445.0, 875.0, 1310.0]),
          "log_decay": np.log(np.array([2.0, 6.0, 6.0]))}

f = spectral_loss
ARGS = (params, target_spec, n_samples)
