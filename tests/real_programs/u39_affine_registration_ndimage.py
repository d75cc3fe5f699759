"""Intensity-based affine image registration: the moving image is resampled at A @ coords + t with
scipy.ndimage.map_coordinates (order=1), sum of squared differences to the fixed image plus a
small penalty keeping A near a rotation; wrt the 6 affine parameters."""
import numpy as np
from scipy import ndimage


def warp_affine(img, A, t):
    H, W = img.shape
    yy, xx = np.indices((H, W))
    coords = np.stack([yy.ravel(), xx.ravel()]).astype(float)
    src = A @ coords + t[:, None]
    return ndimage.map_coordinates(img, src, order=1, mode="nearest").reshape(H, W)


def registration_loss(theta, fixed, moving):
    A = np.array([[1.0 + theta[0], theta[1]], [theta[2], 1.0 + theta[3]]])
    t = theta[4:]
    warped = warp_affine(moving, A, t)
    ortho = A.T @ A - np.eye(2)
    return np.mean((warped - fixed) ** 2) + 1e-3 * np.sum(ortho ** 2)


yy, xx = np.mgrid[0:24, 0:24]
moving = np.exp(-((xx - 12) ** 2 / 18 + (yy - 10) ** 2 / 8)) + 0.5 * np.exp(-((xx - 7) ** 2 + (yy - 16) ** 2) / 6)
fixed = ndimage.shift(moving, (1.2, -0.7), order=1)
theta = np.array([0.02, -0.03, 0.01, 0.015, -1.0, 0.6])

f = registration_loss
ARGS = (theta, fixed, moving)
# at theta, A @ coords + t puts sample coordinates exactly on integers (1.02 * 3 - 0.03 * 2 - 1.0):
# linear interpolation has a kink there, where central differences average the two one-sided slopes
KINKED = "linear interpolation read exactly at samples"
