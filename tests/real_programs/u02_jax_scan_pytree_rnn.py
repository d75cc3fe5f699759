"""JAX-style Elman RNN sequence regression: parameters are a pytree (dict of tuples and dicts), a
hand-written lax.scan(step, carry, xs), functools.partial to bind params into the step, and
hand-written tree_map / tree_leaves for the L2 penalty."""
from functools import partial

import numpy as np


def tree_map(fn, tree):
    if isinstance(tree, dict):
        return {k: tree_map(fn, v) for k, v in tree.items()}
    if isinstance(tree, (list, tuple)):
        return type(tree)(tree_map(fn, v) for v in tree)
    return fn(tree)


def tree_leaves(tree):
    if isinstance(tree, dict):
        return [leaf for v in tree.values() for leaf in tree_leaves(v)]
    if isinstance(tree, (list, tuple)):
        return [leaf for v in tree for leaf in tree_leaves(v)]
    return [tree]


def scan(step, carry, xs):
    ys = []
    for x in xs:
        carry, y = step(carry, x)
        ys.append(y)
    return carry, np.stack(ys)


def rnn_step(params, h, x):
    Wx, Wh, b = params["cell"]
    h = np.tanh(x @ Wx + h @ Wh + b)
    out = h @ params["readout"]["W"] + params["readout"]["b"]
    return h, out


def loss_fn(params, xs, ys, l2=1e-3):
    batch = xs.shape[1]
    h0 = np.zeros((batch, params["cell"][1].shape[0]))
    h_final, preds = scan(partial(rnn_step, params), h0, xs)
    mse = np.mean((preds - ys) ** 2)
    sq = tree_map(lambda p: np.sum(p ** 2), params)
    return mse + l2 * sum(tree_leaves(sq))


rng = np.random.default_rng(602)
T, B, D, H = 12, 5, 2, 8
xs = rng.standard_normal((T, B, D))
ys = np.cumsum(xs[..., :1], axis=0) * 0.3
params = {
    "cell": (0.4 * rng.standard_normal((D, H)), 0.3 * rng.standard_normal((H, H)), 0.1 * rng.standard_normal(H)),
    "readout": {"W": 0.4 * rng.standard_normal((H, 1)), "b": np.zeros(1)},
}

f = loss_fn
ARGS = (params, xs, ys)
