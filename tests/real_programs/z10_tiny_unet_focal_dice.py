"""A tiny U-Net for binary segmentation of a 16x16 image: 3x3 convolutions by a sliding window and
np.tensordot (reflect padding), a depthwise-separable block by einsum, 2x2 max-pooling by reshape and
max over two axes, nearest-neighbour upsampling by np.repeat, a skip connection concatenated on the
channel axis, the activation chosen by an Enum; loss = focal loss + soft Dice.  Differentiated w.r.t.
the weights dict."""
from enum import Enum

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


class Act(Enum):
    RELU = "relu"
    LEAKY = "leaky"


def activate(x, kind):
    if kind is Act.RELU:
        return np.maximum(x, 0.0)
    elif kind is Act.LEAKY:
        return np.where(x > 0, x, 0.1 * x)
    raise ValueError(kind)


def conv3x3(x, W, b):
    # x: (H, W, Cin), W: (3, 3, Cin, Cout)
    xp = np.pad(x, ((1, 1), (1, 1), (0, 0)), mode="reflect")
    win = sliding_window_view(xp, (3, 3), axis=(0, 1))       # (H, W, Cin, 3, 3)
    return np.tensordot(win, W, axes=([3, 4, 2], [0, 1, 2])) + b


def separable(x, dw, pw):
    xp = np.pad(x, ((1, 1), (1, 1), (0, 0)), mode="edge")
    win = sliding_window_view(xp, (3, 3), axis=(0, 1))       # (H, W, C, 3, 3)
    depth = np.einsum("hwcij,ijc->hwc", win, dw)
    return np.einsum("hwc,cd->hwd", depth, pw)


def maxpool2(x):
    H, W, C = x.shape
    return x.reshape(H // 2, 2, W // 2, 2, C).max(axis=(1, 3))


def upsample2(x):
    return np.repeat(np.repeat(x, 2, axis=0), 2, axis=1)


def unet(p, img, act=Act.LEAKY):
    e1 = activate(conv3x3(img, p["enc_W"], p["enc_b"]), act)          # (16,16,4)
    d1 = maxpool2(e1)                                                    # (8,8,4)
    m = activate(separable(d1, p["mid_dw"], p["mid_pw"]), act)          # (8,8,8)
    u1 = upsample2(m)                                                    # (16,16,8)
    cat = np.concatenate([u1, e1], axis=-1)                              # (16,16,12)
    logits = conv3x3(cat, p["dec_W"], p["dec_b"])[..., 0]
    return logits


def seg_loss(p, img, mask, gamma=2.0, alpha=0.25, eps=1.0):
    logits = unet(p, img)
    prob = 1.0 / (1.0 + np.exp(-logits))
    p_t = np.where(mask == 1, prob, 1.0 - prob)
    a_t = np.where(mask == 1, alpha, 1.0 - alpha)
    focal = -np.mean(a_t * (1.0 - p_t) ** gamma * np.log(np.clip(p_t, 1e-7, 1.0)))
    inter = np.sum(prob * mask)
    dice = 1.0 - (2.0 * inter + eps) / (prob.sum() + mask.sum() + eps)
    return focal + dice


rng = np.random.default_rng(10)
yy, xx = np.mgrid[0:16, 0:16]
mask = (((yy - 7.5) ** 2 + (xx - 6.0) ** 2) < 20).astype(float)
img = np.stack([mask + 0.3 * rng.standard_normal((16, 16)), rng.standard_normal((16, 16))], axis=-1)
p = {"enc_W": 0.3 * rng.standard_normal((3, 3, 2, 4)), "enc_b": 0.1 * rng.standard_normal(4),
     "mid_dw": 0.3 * rng.standard_normal((3, 3, 4)), "mid_pw": 0.3 * rng.standard_normal((4, 8)),
     "dec_W": 0.2 * rng.standard_normal((3, 3, 12, 1)), "dec_b": np.zeros(1)}
f = seg_loss
ARGS = (p, img, mask)
