"""Neural style transfer on a small image: a fixed random two-layer conv net (3x3 convolutions
written as a sum of shifted slices of an np.pad'ed image, einsum over channels, leaky ReLU), Gram
matrices of the feature maps for the style loss, the content loss on the deeper layer, and a
total-variation term from np.diff; the pixels are optimised, so the gradient is w.r.t. the image."""
import numpy as np


def conv3x3(x, W, b):
    """x: (C, H, W); W: (C_out, C, 3, 3)."""
    C, H, Wd = x.shape
    xp = np.pad(x, ((0, 0), (1, 1), (1, 1)), mode="reflect")
    out = np.zeros((W.shape[0], H, Wd)) + b[:, None, None]
    for di in range(3):
        for dj in range(3):
            out += np.einsum("oc,chw->ohw", W[:, :, di, dj], xp[:, di:di + H, dj:dj + Wd])
    return out


def leaky(x, a=0.1):
    return np.where(x > 0, x, a * x)


def features(img, net):
    feats = []
    h = img
    for W, b in net:
        h = leaky(conv3x3(h, W, b))
        feats.append(h)
    return feats


def gram(F):
    C = F.shape[0]
    Fm = F.reshape(C, -1)
    return Fm @ Fm.T / Fm.shape[1]


def style_transfer_loss(img, content_img, style_img, net, style_w=(1.0, 0.5), tv_w=0.01):
    f_img, f_content, f_style = features(img, net), features(content_img, net), features(style_img, net)
    content = np.mean((f_img[-1] - f_content[-1]) ** 2)
    style = sum(w * np.sum((gram(a) - gram(s)) ** 2) for w, a, s in zip(style_w, f_img, f_style))
    tv = np.sum(np.diff(img, axis=1) ** 2) + np.sum(np.diff(img, axis=2) ** 2)
    return content + style + tv_w * tv


rng = np.random.default_rng(2013)
net = [(0.3 * rng.standard_normal((4, 3, 3, 3)), 0.05 * rng.standard_normal(4)),
       (0.2 * rng.standard_normal((6, 4, 3, 3)), 0.05 * rng.standard_normal(6))]
content_img = rng.random((3, 10, 10))
style_img = np.sin(np.linspace(0, 6, 10))[None, :, None] * np.cos(np.linspace(0, 4, 10))[None, None, :] * np.ones((3, 1, 1))
img = content_img + 0.1 * rng.standard_normal((3, 10, 10))
f = style_transfer_loss
ARGS = (img, content_img, style_img, net)
