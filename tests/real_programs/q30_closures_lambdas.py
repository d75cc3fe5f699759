"""A loss assembled from helper closures: a kernel factory returning a closure, lambdas bound to
names, a default tuple of bandwidths, a nested helper that reads the enclosing arrays."""
import numpy as np

def make_rbf(bandwidth):
    def k(a, b):
        d2 = np.sum((a[:, None, :] - b[None, :, :]) ** 2, axis=-1)
        return np.exp(-d2 / (2 * bandwidth ** 2))
    return k

def kernel_two_sample_loss(z, x_data, bandwidths=(0.5, 1.0, 2.0), weights=None):
    if weights is None:
        weights = [1.0] * len(bandwidths)
    mean_off = lambda K: (K.sum() - np.trace(K)) / (K.shape[0] * (K.shape[0] - 1))
    sq = lambda a: a * a

    def mmd_with(bw):
        k = make_rbf(bw)
        return mean_off(k(z, z)) + mean_off(k(x_data, x_data)) - 2 * np.mean(k(z, x_data))

    total = 0.0
    for bw, wt in zip(bandwidths, weights):
        total = total + wt * mmd_with(bw)
    return total + 1e-3 * np.sum(sq(z))

rng = np.random.default_rng(30)
f = kernel_two_sample_loss
ARGS = (rng.standard_normal((8, 2)), rng.standard_normal((9, 2)) + 1.0)
