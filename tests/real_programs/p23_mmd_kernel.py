import numpy as np

def gaussian_kernel(a, b, bandwidths=(0.5, 1.0, 2.0)):
    d2 = ((a[:, None, :] - b[None, :, :]) ** 2).sum(-1)
    return sum(np.exp(-d2 / (2 * s ** 2)) for s in bandwidths)

def mmd2(X, Y):
    m, n = len(X), len(Y)
    Kxx = gaussian_kernel(X, X)
    Kyy = gaussian_kernel(Y, Y)
    Kxy = gaussian_kernel(X, Y)
    return ((Kxx.sum() - np.trace(Kxx)) / (m * (m - 1))
            + (Kyy.sum() - np.trace(Kyy)) / (n * (n - 1))
            - 2 * Kxy.mean())

def generator_loss(W, noise, data):
    fake = np.tanh(noise @ W)
    return mmd2(fake, data)

rng = np.random.default_rng(22)
W = rng.standard_normal((3, 2))
noise = rng.standard_normal((10, 3))
data = rng.standard_normal((12, 2)) * 0.5 + 0.3
f = generator_loss
ARGS = (W, noise, data)
