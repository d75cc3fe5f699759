"""Phase retrieval by gradient descent on the Fourier-magnitude misfit: a real object with a known
support mask, its oversampled 2-D FFT (zero padding with np.pad), amplitude loss
sum((|F| - measured)^2) with a small epsilon inside the square root, plus a positivity penalty
on the object."""
import numpy as np


def forward(obj, pad):
    padded = np.pad(obj * SUPPORT, pad)
    F = np.fft.fft2(padded)
    return np.sqrt(np.real(F) ** 2 + np.imag(F) ** 2 + 1e-9)


def amplitude_loss(obj, measured, pad=4, mu=1.0):
    amp = forward(obj, pad)
    neg = np.minimum(obj, 0.0)
    return np.sum((amp - measured) ** 2) / measured.size + mu * np.sum(neg ** 2)


n = 8
SUPPORT = np.zeros((n, n))
SUPPORT[2:6, 1:7] = 1.0
rng = np.random.default_rng(40)
truth = SUPPORT * rng.uniform(0.2, 1.0, (n, n))
measured = np.abs(np.fft.fft2(np.pad(truth, 4)))
f = amplitude_loss
ARGS = (truth + 0.1 * rng.standard_normal((n, n)) + 0.05, measured)
