"""Separable Gaussian blur then unsharp mask written into preallocated output arrays with edge
padding (np.pad), a Sobel gradient magnitude, and a clamp with masked writes (out[out > 1] = 1);
the blur sigma and sharpening amount are tuned to a reference image."""
import numpy as np


def gauss_kernel(sigma, r=2):
    t = np.arange(-r, r + 1, dtype=float)
    k = np.exp(-0.5 * (t / sigma) ** 2)
    return k / k.sum()


def blur(img, k):
    r = len(k) // 2
    p = np.pad(img, r, mode="edge")
    tmp = np.zeros((img.shape[0] + 2 * r, img.shape[1]))
    for j in range(img.shape[1]):
        tmp[:, j] = p[:, j:j + 2 * r + 1] @ k
    out = np.zeros_like(img)
    for i in range(img.shape[0]):
        out[i, :] = k @ tmp[i:i + 2 * r + 1, :]
    return out


def process(params, img, ref):
    sigma, amount = params[0], params[1]
    b = blur(img, gauss_kernel(sigma))
    sharp = img + amount * (img - b)
    out = sharp.copy()
    out[out > 1.0] = 1.0
    out[out < 0.0] = 0.0
    gx = np.zeros_like(out)
    gx[:, 1:-1] = out[:, 2:] - out[:, :-2]
    gy = np.zeros_like(out)
    gy[1:-1, :] = out[2:, :] - out[:-2, :]
    edge = np.sqrt(gx ** 2 + gy ** 2 + 1e-6)
    return np.mean((out - ref) ** 2) + 0.01 * np.mean(edge)


rng = np.random.default_rng(10)
img = np.clip(0.5 + 0.2 * rng.standard_normal((10, 10)), 0.05, 0.95)
ref = np.clip(img + 0.05 * rng.standard_normal((10, 10)), 0, 1)
f = process
ARGS = (np.array([1.2, 0.6]), img, ref)
