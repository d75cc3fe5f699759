"""Blind-deblur style kernel estimation: a 3x3 learnable blur applied by shifting a padded image
(np.pad with mode='reflect', 'edge' and 'wrap' chosen per channel), a kernel normalised to sum one,
loss against the observed blurry channels plus a Laplacian smoothness prior on the kernel."""
import numpy as np

MODES = ("reflect", "edge", "wrap")


def blur(img, k, mode):
    r = k.shape[0] // 2
    P = np.pad(img, r, mode=mode)
    H, W = img.shape
    out = np.zeros((H, W))
    for di in range(k.shape[0]):
        for dj in range(k.shape[1]):
            out += k[di, dj] * P[di:di + H, dj:dj + W]
    return out


def kernel_loss(k_raw, sharp, blurry):
    k = np.exp(k_raw)
    k = k / k.sum()
    total = 0.0
    for c, mode in enumerate(MODES):
        pred = blur(sharp[c], k, mode)
        total = total + np.mean((pred - blurry[c]) ** 2)
    kp = np.pad(k, 1, mode="constant")
    lap = kp[:-2, 1:-1] + kp[2:, 1:-1] + kp[1:-1, :-2] + kp[1:-1, 2:] - 4 * k
    return total + 1e-3 * np.sum(lap ** 2)


rng = np.random.default_rng(107)
sharp = rng.random((3, 10, 12))
k_true = np.array([[0.05, 0.1, 0.05], [0.1, 0.4, 0.1], [0.05, 0.1, 0.05]])
blurry = np.stack([blur(sharp[c], k_true, m) for c, m in enumerate(MODES)]) + 0.01 * rng.standard_normal((3, 10, 12))
k_raw = np.log(k_true) + 0.2 * rng.standard_normal((3, 3))

f = kernel_loss
ARGS = (k_raw, sharp, blurry)
