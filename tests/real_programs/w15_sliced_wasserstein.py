"""Sliced Wasserstein distance between generated and reference 2-D point clouds (a generative model
trained by sliced OT): random projection directions drawn inside the function from a seeded
np.random.default_rng, points projected and sorted along each direction (np.sort for the target,
np.argsort + np.take_along_axis for the generated side), the squared distance of sorted
projections; the generator is a tiny affine+tanh map of latent samples, its parameters differentiated."""
import numpy as np


def generator(params, z):
    h = np.tanh(z @ params["A"] + params["c"])
    return h @ params["B"] + params["d"]


def sliced_w2(x, y, n_proj=16, seed=7):
    rng = np.random.default_rng(seed)
    theta = rng.standard_normal((x.shape[1], n_proj))
    theta /= np.linalg.norm(theta, axis=0, keepdims=True)
    px, py = x @ theta, y @ theta
    order = np.argsort(px, axis=0)
    px_sorted = np.take_along_axis(px, order, axis=0)
    py_sorted = np.sort(py, axis=0)
    return np.mean((px_sorted - py_sorted) ** 2)


def training_loss(params, z, target):
    x = generator(params, z)
    moment = np.sum((x.mean(axis=0) - target.mean(axis=0)) ** 2)
    return sliced_w2(x, target) + 0.1 * moment


rng = np.random.default_rng(2015)
n = 48
angles = rng.uniform(0, 2 * np.pi, n)
target = np.stack([np.cos(angles), np.sin(angles)], axis=1) * (1.0 + 0.05 * rng.standard_normal((n, 1)))
z = rng.standard_normal((n, 2))
params = {"A": rng.standard_normal((2, 6)), "c": 0.1 * rng.standard_normal(6),
          "B": 0.5 * rng.standard_normal((6, 2)), "d": np.zeros(2) + 0.05}
f = training_loss
ARGS = (params, z, target)
