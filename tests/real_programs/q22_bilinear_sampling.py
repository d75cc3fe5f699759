"""Spatial-transformer-style bilinear sampling: an affine warp of a grid, sample coordinates split
with np.floor into integer corners (clipped to the image) and fractional weights."""
import numpy as np

def bilinear_sample(img, xs, ys):
    H, W = img.shape
    x0 = np.floor(xs).astype(int)
    y0 = np.floor(ys).astype(int)
    x1, y1 = x0 + 1, y0 + 1
    wx = xs - x0
    wy = ys - y0
    x0c, x1c = np.clip(x0, 0, W - 1), np.clip(x1, 0, W - 1)
    y0c, y1c = np.clip(y0, 0, H - 1), np.clip(y1, 0, H - 1)
    Ia = img[y0c, x0c]
    Ib = img[y1c, x0c]
    Ic = img[y0c, x1c]
    Id = img[y1c, x1c]
    return (1 - wx) * (1 - wy) * Ia + (1 - wx) * wy * Ib + wx * (1 - wy) * Ic + wx * wy * Id

def warp_loss(theta, img, template):
    H, W = template.shape
    gy, gx = np.meshgrid(np.arange(H, dtype=float), np.arange(W, dtype=float), indexing="ij")
    coords = np.stack([gx.ravel(), gy.ravel(), np.ones(H * W)])   # (3, HW)
    A = theta.reshape(2, 3)
    warped = A @ coords
    sampled = bilinear_sample(img, warped[0], warped[1]).reshape(H, W)
    return np.sum((sampled - template) ** 2)

rng = np.random.default_rng(22)
img = rng.standard_normal((9, 9))
template = rng.standard_normal((6, 6))
theta = np.array([0.97, 0.05, 1.13, -0.04, 1.02, 0.87])
f = warp_loss
KW = dict(wrt=("theta", "img"))
ARGS = (theta, img, template)
EXTRA = ["hessian"]
