"""MLP whose architecture comes from a config list: each layer names its activation, looked up in
a module-level dict of functions (a lambda, np.tanh itself, a def); the output layer's activation
is None (identity).  Params are a list of dicts, differentiated as a whole."""
import numpy as np


def gelu(z):
    return 0.5 * z * (1.0 + np.tanh(0.7978845608 * (z + 0.044715 * z ** 3)))


ACTIVATIONS = {
    "relu": lambda z: np.maximum(z, 0.0),
    "tanh": np.tanh,
    "gelu": gelu,
    "softplus": lambda z: np.logaddexp(0.0, z),
}

CONFIG = [("tanh", 4, 8), ("gelu", 8, 8), ("softplus", 8, 6), (None, 6, 1)]


def forward(params, x):
    h = x
    for (act_name, _, _), layer in zip(CONFIG, params):
        h = h @ layer["W"] + layer["b"]
        if act_name is not None:
            act = ACTIVATIONS[act_name]
            h = act(h)
    return h[:, 0]


def mse(params, X, y):
    pred = forward(params, X)
    return np.mean((pred - y) ** 2)


rng = np.random.default_rng(1)
params = [{"W": rng.standard_normal((i, o)) / np.sqrt(i), "b": 0.1 * rng.standard_normal(o)} for _, i, o in CONFIG]
X = rng.standard_normal((16, 4))
y = np.sin(X[:, 0]) - X[:, 1] * X[:, 2]

f = mse
ARGS = (params, X, y)
