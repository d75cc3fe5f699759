"""Central finite differences for the tests that check gradients element by element."""
import numpy as np


def central(fn, x, *rest, eps=1e-6):
    """d fn(x, *rest) / dx by central differences, one element of x at a time (x of any shape)."""
    out = np.zeros_like(x)
    for i in range(x.size):
        e = np.zeros_like(x)
        e.flat[i] = eps
        out.flat[i] = (fn(x + e, *rest) - fn(x - e, *rest)) / (2 * eps)
    return out
