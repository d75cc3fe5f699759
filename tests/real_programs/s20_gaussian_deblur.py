"""Non-blind deconvolution of a small image: a Gaussian kernel built from its sigma, 'same'
convolution written as a loop over kernel offsets on an np.pad(mode='reflect') image, data term
plus a smoothed total-variation prior sqrt(dx^2 + dy^2 + eps^2); differentiated w.r.t. the latent
image."""
import numpy as np


def gaussian_kernel(sigma, radius=2):
    ax = np.arange(-radius, radius + 1)
    g = np.exp(-(ax ** 2) / (2 * sigma ** 2))
    k = np.outer(g, g)
    return k / k.sum()


def conv2d_same(img, k):
    r = k.shape[0] // 2
    padded = np.pad(img, r, mode="reflect")
    H, W = img.shape
    out = np.zeros_like(img)
    for dy in range(k.shape[0]):
        for dx in range(k.shape[1]):
            out = out + k[dy, dx] * padded[dy:dy + H, dx:dx + W]
    return out


def tv(img, eps=1e-2):
    dx = img[:, 1:] - img[:, :-1]
    dy = img[1:, :] - img[:-1, :]
    return np.sum(np.sqrt(dx[:-1, :] ** 2 + dy[:, :-1] ** 2 + eps ** 2))


def deblur_energy(x, blurred, sigma=1.2, lam=0.02):
    k = gaussian_kernel(sigma)
    residual = conv2d_same(x, k) - blurred
    return 0.5 * np.sum(residual ** 2) + lam * tv(x)


rng = np.random.default_rng(20)
img = np.zeros((12, 12))
img[3:9, 4:8] = 1.0
img[6:10, 2:5] = 0.5
blurred = conv2d_same(img, gaussian_kernel(1.2)) + 0.01 * rng.standard_normal(img.shape)
f = deblur_energy
ARGS = (blurred + 0.05 * rng.standard_normal(img.shape), blurred)
