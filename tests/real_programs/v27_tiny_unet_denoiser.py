"""A two-level U-Net denoiser: 3x3 'same' convolutions written as nine shifted einsums over an
np.pad-ed input, 2x2 average pooling by reshape-mean, nearest upsampling by .repeat twice, a skip
connection by np.concatenate on the channel axis; layers called with **params[name]; the loss
averages over a batch of noisy/clean pairs."""
import numpy as np


def conv3x3(x, W, b):
    C, H, Wd = x.shape
    xp = np.pad(x, ((0, 0), (1, 1), (1, 1)))
    out = np.zeros((W.shape[0], H, Wd)) + b[:, None, None]
    for i in range(3):
        for j in range(3):
            out = out + np.einsum("oc,chw->ohw", W[:, :, i, j], xp[:, i:i + H, j:j + Wd])
    return out


def avgpool2(x):
    C, H, W = x.shape
    return x.reshape(C, H // 2, 2, W // 2, 2).mean(axis=(2, 4))


def upsample2(x):
    return x.repeat(2, axis=1).repeat(2, axis=2)


relu = lambda z: np.maximum(z, 0.0)


def unet(params, x):
    e1 = relu(conv3x3(x, **params["enc1"]))
    e2 = relu(conv3x3(avgpool2(e1), **params["enc2"]))
    d1 = relu(conv3x3(np.concatenate([upsample2(e2), e1], axis=0), **params["dec1"]))
    return x + conv3x3(d1, **params["out"])


def denoise_loss(params, noisy, clean):
    return np.mean([np.mean((unet(params, x) - y) ** 2) for x, y in zip(noisy, clean)])


def conv_params(rng, cin, cout):
    return {"W": rng.standard_normal((cout, cin, 3, 3)) / np.sqrt(9 * cin), "b": np.zeros(cout)}


rng = np.random.default_rng(727)
params = {"enc1": conv_params(rng, 1, 4), "enc2": conv_params(rng, 4, 8),
          "dec1": conv_params(rng, 12, 4), "out": conv_params(rng, 4, 1)}
yy, xx = np.mgrid[0:8, 0:8]
clean = np.stack([((xx - c) ** 2 + (yy - 4) ** 2 < 9).astype(float)[None] for c in (2, 4, 5)])
noisy = clean + 0.2 * rng.standard_normal(clean.shape)
f = denoise_loss
ARGS = (params, noisy, clean)
