"""JAX-style classifier written per example: a hand-written vmap(fn, in_axes) that loops over the
batch and stacks, functools.partial binding the parameter pytree (a tuple of (W, b) tuples),
one-hot labels by np.eye indexing and a log_softmax helper."""
from functools import partial

import numpy as np


def vmap(fn, in_axes=0):
    def batched(*args):
        axes = in_axes if isinstance(in_axes, tuple) else (in_axes,) * len(args)
        n = next(a.shape[0] for a, ax in zip(args, axes) if ax is not None)
        outs = [fn(*[a[i] if ax == 0 else a for a, ax in zip(args, axes)]) for i in range(n)]
        return np.stack(outs)
    return batched


def log_softmax(z):
    z = z - np.max(z)
    return z - np.log(np.sum(np.exp(z)))


def predict(params, x):
    *hidden, last = params
    for W, b in hidden:
        x = np.maximum(0.0, W @ x + b)
    W, b = last
    return W @ x + b


def example_loss(params, x, label, num_classes=3):
    one_hot = np.eye(num_classes)[label]
    return -np.sum(one_hot * log_softmax(predict(params, x)))


def batch_loss(params, xs, labels):
    per_example = vmap(partial(example_loss, params), in_axes=(0, 0))(xs, labels)
    return per_example.mean()


rng = np.random.default_rng(603)
xs = rng.standard_normal((24, 4))
labels = (xs[:, 0] > 0).astype(int) + (xs[:, 1] > 0.5).astype(int)
sizes = [4, 10, 3]
params = tuple((rng.standard_normal((n_out, n_in)) / np.sqrt(n_in), 0.1 * rng.standard_normal(n_out))
               for n_in, n_out in zip(sizes[:-1], sizes[1:]))

f = batch_loss
ARGS = (params, xs, labels)
