"""Names the generated code can use besides numpy: kept tiny, and used only where static shape
information is missing (the generated code then checks shapes at run time)."""
from __future__ import annotations

import numpy as np


def stop_gradient(x):
    """Identity at run time; a constant for differentiation (s2sgrad reads it from the source)."""
    return x


def unbroadcast(g, x):
    """g with exactly the shape of x: summed down where g was broadcast against x in the forward
    pass, spread out where g is a lazy cotangent (a scalar standing for a full array).  Used where
    the compiler could not know the shapes, so its result must be what the static path would give:
    the exact shape, never something that merely broadcasts to it."""
    shape = np.shape(x)
    gshape = np.shape(g)
    if gshape == shape:
        return g
    lead = len(gshape) - len(shape)
    if lead > 0:
        g = np.sum(g, axis=tuple(range(lead)))
    axes = tuple(i for i, (a, b) in enumerate(zip(np.shape(g), shape)) if b == 1 and a != 1)
    if axes:
        g = np.sum(g, axis=axes, keepdims=True)
    if np.shape(g) != shape:
        g = np.array(np.broadcast_to(g, shape))  # a fresh array: later code may update it in place
    return g


def matmul_grad_x(g, x, y):
    """d(x @ y)/dx applied to g, for operands whose ranks were unknown when compiling."""
    x, y, g = np.asarray(x), np.asarray(y), np.asarray(g)
    if y.ndim == 1:
        return np.multiply.outer(g, y) if x.ndim > 1 else g * y
    if x.ndim == 1:
        return y @ g
    return unbroadcast(g @ np.swapaxes(y, -1, -2), x)


def matmul_grad_y(g, x, y):
    x, y, g = np.asarray(x), np.asarray(y), np.asarray(g)
    if x.ndim == 1:
        return np.multiply.outer(x, g) if y.ndim > 1 else g * x
    if y.ndim == 1:
        return np.swapaxes(x, -1, -2) @ g if x.ndim > 2 else g @ x
    return unbroadcast(np.swapaxes(x, -1, -2) @ g, y)


NAMESPACE = {
    "np": np,
    "stop_gradient": stop_gradient,
    "unbroadcast": unbroadcast,
    "matmul_grad_x": matmul_grad_x,
    "matmul_grad_y": matmul_grad_y,
}
