"""DDSP-style synthesis matched with a multi-resolution STFT loss: a harmonic synthesiser (amplitudes
softmax-normalised, an exponential decay), frames cut by fancy indexing after reflect padding, a Hann
window, a real DFT by cos/sin matrices, spectral convergence (Frobenius norms) plus log-magnitude L1,
averaged over three (n_fft, hop) resolutions."""
import numpy as np


def synth(params, n=256, sr=8000.0, f0=220.0):
    t = np.arange(n) / sr
    amps = np.exp(params["amp_logits"]) / np.sum(np.exp(params["amp_logits"]))
    k = np.arange(1, len(amps) + 1)
    phases = 2 * np.pi * f0 * k[:, None] * t[None, :] * (1.0 + params["detune"])
    env = np.exp(-params["decay"] * t)
    return params["gain"] * env * (amps @ np.sin(phases))


def frame(x, n_fft, hop):
    n_frames = 1 + (len(x) - n_fft) // hop
    idx = np.arange(n_fft)[None, :] + hop * np.arange(n_frames)[:, None]
    return x[idx]


def stft_mag(x, n_fft, hop):
    win = np.hanning(n_fft)
    frames = frame(np.pad(x, n_fft // 2, mode="reflect"), n_fft, hop) * win
    k = np.arange(n_fft // 2 + 1)[:, None]
    n = np.arange(n_fft)[None, :]
    re = frames @ np.cos(2 * np.pi * k * n / n_fft).T
    im = -frames @ np.sin(2 * np.pi * k * n / n_fft).T
    return np.sqrt(re ** 2 + im ** 2 + 1e-7)


def mr_stft_loss(params, y, resolutions=((32, 8), (64, 16), (16, 4))):
    y_hat = synth(params)
    total = 0.0
    for n_fft, hop in resolutions:
        S_hat, S = stft_mag(y_hat, n_fft, hop), stft_mag(y, n_fft, hop)
        sc = np.linalg.norm(S - S_hat, "fro") / np.linalg.norm(S, "fro")
        mag = np.mean(np.abs(np.log(S) - np.log(S_hat)))
        total += sc + mag
    return total / len(resolutions)


y = synth({"amp_logits": np.array([1.0, 0.2, -0.5, -1.0]), "detune": 0.01, "decay": 8.0, "gain": 0.8})
params = {"amp_logits": np.array([0.8, 0.3, -0.3, -1.2]), "detune": 0.0, "decay": 6.0, "gain": 0.7}
f = mr_stft_loss
ARGS = (params, y)
