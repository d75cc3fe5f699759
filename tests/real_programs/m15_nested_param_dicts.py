"""Nested parameter dicts as a Flax/Haiku user writes them: params["encoder"]["layer1"]["W"], built
by a dict comprehension over layer names, an L2 penalty over every leaf by a recursive-free
double loop, and a decoder that reads the encoder's weights transposed (tied)."""
import numpy as np

LAYERS = ("layer1", "layer2")


def encode(enc, x):
    h = x
    for name in LAYERS:
        h = np.tanh(h @ enc[name]["W"] + enc[name]["b"])
    return h


def decode(enc, dec, z):
    h = z
    for name in reversed(LAYERS):
        h = h @ enc[name]["W"].T + dec[name]["c"]
        if name != "layer1":
            h = np.tanh(h)
    return h


def loss(params, X, weight_decay=1e-3):
    z = encode(params["encoder"], X)
    Xhat = decode(params["encoder"], params["decoder"], z)
    recon = np.mean(np.sum((Xhat - X) ** 2, axis=1))
    l2 = 0.0
    for group in params.values():
        for layer in group.values():
            l2 = l2 + sum(np.sum(v ** 2) for k, v in layer.items() if k in ("W", "c"))
    return recon + weight_decay * l2


rng = np.random.default_rng(15)
sizes = {"layer1": (6, 4), "layer2": (4, 2)}
params = {
    "encoder": {n: {"W": rng.standard_normal(s) / np.sqrt(s[0]), "b": np.zeros(s[1])} for n, s in sizes.items()},
    "decoder": {n: {"c": 0.1 * rng.standard_normal(s[0])} for n, s in sizes.items()},
}
X = rng.standard_normal((10, 6))

f = loss
ARGS = (params, X)
