"""Functions the Triton backend is checked on (the issue's list), with small sizes that keep the
interpreter fast and cross block edges (none is a power of two)."""
import numpy as np


def two_layer(W1, W2, X, y):
    h = X @ W1
    h_relu = np.maximum(h, 0)
    y_hat = h_relu @ W2
    return np.square(y_hat - y).sum()


def softmax_xent(logits, labels):
    z = logits - logits.max(axis=1, keepdims=True)
    log_probs = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    n = logits.shape[0]
    return -np.mean(log_probs[np.arange(n), labels])


def elementwise(x):
    return np.sum(np.tanh(x) * (1 / (1 + np.exp(-x))) + np.exp(-x ** 2))


def linreg(w, b, x, y):
    y_hat = w * x + b
    return np.mean((y_hat - y) ** 2)


def loop_branch(x, W):
    h = x
    for i in range(3):
        h = np.tanh(h @ W)
        if np.sum(h) > 0:
            h = h * 2.0
        else:
            h = h - 0.5
    return np.sum(h ** 2)


rng = np.random.default_rng(0)
_x = np.linspace(-1, 1, 50)
CASES = {
    "two_layer": (two_layer, ("W1", "W2"), (rng.standard_normal((40, 24)), rng.standard_normal((24, 10)),
                                            rng.standard_normal((33, 40)), rng.standard_normal((33, 10)))),
    "softmax_xent": (softmax_xent, "logits", (rng.standard_normal((37, 10)), rng.integers(0, 10, 37))),
    "elementwise": (elementwise, "x", (rng.standard_normal(3000),)),
    "linreg": (linreg, ("w", "b"), (0.3, -0.2, _x, 3 * _x + 0.8)),
    "loop_branch": (loop_branch, ("x", "W"), (rng.standard_normal((5, 8)), rng.standard_normal((8, 8)) * 0.3)),
    "loop_branch_negative": (loop_branch, ("x", "W"), (-np.abs(rng.standard_normal((5, 8))) - 1,
                                                       np.abs(rng.standard_normal((8, 8))) * 0.3)),
}


def row_softmax_sum(x, y):
    """A row softmax weighted by y: two row reductions, an online max/sum pair."""
    z = np.exp(x - np.max(x, axis=1, keepdims=True))
    p = z / np.sum(z, axis=1, keepdims=True)
    return np.sum(p * y)


def row_norms(x):
    """Rows divided by their sum of squares (a plain row sum as divisor), plus the mean row max."""
    return np.sum(x / np.sum(x * x, axis=1, keepdims=True)) + np.mean(np.max(x, axis=1))


def cast(args, dtype):
    return tuple(a.astype(dtype) if isinstance(a, np.ndarray) and a.dtype.kind == "f" else a for a in args)


# issue 11's elementwise rows: in kernels (functions.py) or on the host through torch twins
def more_unary(x, p):
    return np.sum(np.hypot(x, p) * np.logaddexp2(x, p) + np.exp2(x) * np.arcsinh(p) + np.logaddexp(x, 2 * p)
                  + np.arccosh(p + 1.0) + np.arctanh(x) * np.cbrt(p - 2.0) + np.sinc(x)
                  + np.deg2rad(x) * np.degrees(p) + np.real(x) * np.conj(p) + np.positive(x))


def more_select(x, y):
    return np.sum(np.fmax(x, y) * np.fmin(x, 0.1) + np.copysign(x, y) + np.heaviside(x, 0.5) * y)


def more_host(x, y):
    return np.sum(np.fmod(x, 0.3) * np.remainder(y, 0.25) + np.nan_to_num(x) * np.mod(x, 0.4))


_u = rng.uniform(-0.9, 0.9, 37)
MORE_CASES = {
    "more_unary": (more_unary, ("x", "p"), (_u, rng.uniform(0.2, 3.0, 37))),
    "more_select": (more_select, ("x", "y"), (_u, rng.uniform(-0.9, 0.9, 37))),
    "more_host": (more_host, ("x", "y"), (_u, rng.uniform(-0.9, 0.9, 37))),
}
# values where the functions have special cases (NaN, infinities, signed zeros, subnormals, huge)
SPECIAL = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, 1e-300, -1e-300, 5e-324, 1e-8, -1e-8, 0.3, -0.7, 1.0,
                    -1.0, 1.5, 2.0, -3.0, 1e10, -1e10, 1e200, -1e200, 1.7e308, 3e28])
MORE_UNARY = ["exp2", "arcsinh", "arccosh", "arctanh", "cbrt", "sinc", "deg2rad", "radians", "rad2deg", "degrees",
              "real", "conj", "conjugate", "positive"]
MORE_BINARY = ["hypot", "logaddexp", "logaddexp2", "fmax", "fmin", "copysign", "heaviside"]
