"""A string mode switch written three ways: match/case on the loss kind (Python 3.10), if/elif on
the activation name with a conditional expression for the final scaling, and a dict.get default
for the reduction; a classifier trained with a configurable head."""
import numpy as np


def activate(z, name):
    if name == "relu":
        return np.maximum(z, 0.0)
    elif name == "swish":
        return z / (1.0 + np.exp(-z))
    elif name == "tanh":
        return np.tanh(z)
    raise ValueError(f"unknown activation {name}")


def head_loss(logits, y, kind):
    match kind:
        case "bce":
            return np.logaddexp(0.0, logits) - y * logits
        case "hinge_sq":
            return np.maximum(0.0, 1.0 - (2 * y - 1) * logits) ** 2
        case _:
            return (1.0 / (1.0 + np.exp(-logits)) - y) ** 2


REDUCE = {"mean": np.mean, "sum": np.sum}


def loss(W, v, X, y, act="swish", kind="bce", reduction="mean", temperature=None):
    h = activate(X @ W, act)
    logits = h @ v
    logits = logits / temperature if temperature is not None else logits
    per = head_loss(logits, y, kind)
    return REDUCE.get(reduction, np.mean)(per)


rng = np.random.default_rng(23)
X = rng.standard_normal((25, 3))
y = (X[:, 0] - X[:, 2] > 0).astype(float)
W = 0.5 * rng.standard_normal((3, 6))
v = 0.5 * rng.standard_normal(6)

f = loss
ARGS = (W, v, X, y)
KW = {"wrt": ("W", "v")}
