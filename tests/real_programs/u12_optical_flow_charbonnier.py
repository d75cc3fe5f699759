"""Dense optical flow energy (Horn-Schunck with a Charbonnier data term): the second frame is
backward-warped with hand-written bilinear interpolation (np.floor, astype(int), clipping, fancy
indexing), smoothness from np.gradient of each flow component."""
import numpy as np


def bilinear_warp(img, u, v):
    H, W = img.shape
    yy, xx = np.mgrid[0:H, 0:W].astype(float)
    x = np.clip(xx + u, 0, W - 1.001)
    y = np.clip(yy + v, 0, H - 1.001)
    x0 = np.floor(x).astype(int)
    y0 = np.floor(y).astype(int)
    wx, wy = x - x0, y - y0
    return (img[y0, x0] * (1 - wx) * (1 - wy) + img[y0, x0 + 1] * wx * (1 - wy)
            + img[y0 + 1, x0] * (1 - wx) * wy + img[y0 + 1, x0 + 1] * wx * wy)


def flow_energy(flow, I0, I1, alpha=0.05, eps=1e-3):
    u, v = flow[0], flow[1]
    r = bilinear_warp(I1, u, v) - I0
    data = np.sum(np.sqrt(r ** 2 + eps ** 2))
    uy, ux = np.gradient(u)
    vy, vx = np.gradient(v)
    smooth = np.sum(ux ** 2 + uy ** 2 + vx ** 2 + vy ** 2)
    return data + alpha * smooth


rng = np.random.default_rng(612)
H, W = 20, 24
yy, xx = np.mgrid[0:H, 0:W]
I0 = np.sin(0.4 * xx) * np.cos(0.3 * yy) + 0.5 * np.exp(-((xx - 10) ** 2 + (yy - 9) ** 2) / 20)
I1 = np.sin(0.4 * (xx - 1.3)) * np.cos(0.3 * (yy - 0.6)) + 0.5 * np.exp(-((xx - 11.3) ** 2 + (yy - 9.6) ** 2) / 20)
flow = np.stack([1.0 + 0.2 * rng.standard_normal((H, W)), 0.5 + 0.2 * rng.standard_normal((H, W))])

f = flow_energy
ARGS = (flow, I0, I1)
