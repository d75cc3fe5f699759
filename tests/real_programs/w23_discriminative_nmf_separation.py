"""Discriminative NMF for two-source audio separation: the magnitude spectrogram of the mixture is
factorised with a fixed number of KL multiplicative updates of the activations (dictionary fixed,
np.maximum against an epsilon floor), the speech and noise parts split with column slices of the
dictionary / row slices of the activations, a Wiener mask rebuilds the speech estimate; the
separation error is differentiated w.r.t. the (pre-trained, now fine-tuned) dictionary."""
import numpy as np

EPS = 1e-9


def kl_activation_updates(V, W, n_iter=20, seed_value=0.5):
    H = np.full((W.shape[1], V.shape[1]), seed_value)
    ones = np.ones_like(V)
    for _ in range(n_iter):
        WH = np.maximum(W @ H, EPS)
        H = H * (W.T @ (V / WH)) / (W.T @ ones)
    return H


def separate(W, V, k_speech):
    Wn = W / W.sum(axis=0, keepdims=True)
    H = kl_activation_updates(V, Wn)
    S = Wn[:, :k_speech] @ H[:k_speech]
    N = Wn[:, k_speech:] @ H[k_speech:]
    mask = S ** 2 / (S ** 2 + N ** 2 + EPS)
    return mask * V


def separation_loss(W, V_mix, V_speech, k_speech=4):
    est = separate(W, V_mix, k_speech)
    log_err = np.log1p(est) - np.log1p(V_speech)
    return np.mean(log_err ** 2)


rng = np.random.default_rng(2023)
F, T = 24, 30
freqs = np.arange(F)[:, None]
speech_atoms = np.exp(-0.5 * ((freqs - rng.uniform(2, 20, 4)) / 2.0) ** 2) + 0.05
noise_atoms = 0.3 + 0.1 * rng.random((F, 2))
V_speech = speech_atoms @ rng.gamma(1.0, 1.0, (4, T))
V_noise = noise_atoms @ rng.gamma(2.0, 0.5, (2, T))
V_mix = V_speech + V_noise
W0 = np.concatenate([speech_atoms, noise_atoms], axis=1) * rng.uniform(0.8, 1.2, (F, 6))
f = separation_loss
ARGS = (W0, V_mix, V_speech)
