"""FiLM-conditioned MLP (feature-wise linear modulation) for a multi-task regression: a small
conditioning network maps each task embedding to per-layer (gamma, beta) pairs that scale and
shift the hidden features after layer normalisation.  Layers are objects of a tiny class with
__call__; the FiLM generator splits its output with np.split; the loss is the mean squared error
over tasks plus weight decay, differentiated w.r.t. the whole parameter dict."""
import numpy as np


class Dense:
    def __init__(self, W, b):
        self.W = W
        self.b = b

    def __call__(self, x):
        return x @ self.W + self.b


def layer_norm(h, eps=1e-5):
    mu = h.mean(axis=-1, keepdims=True)
    var = h.var(axis=-1, keepdims=True)
    return (h - mu) / np.sqrt(var + eps)


def gelu(x):
    return 0.5 * x * (1.0 + np.tanh(np.sqrt(2.0 / np.pi) * (x + 0.044715 * x ** 3)))


def forward(params, x, task_emb):
    film = Dense(params["film_W"], params["film_b"])(task_emb)        # (4 * H,)
    g1, b1, g2, b2 = np.split(film, 4)
    h = layer_norm(Dense(params["W1"], params["b1"])(x))
    h = gelu((1.0 + g1) * h + b1)
    h = layer_norm(Dense(params["W2"], params["b2"])(h))
    h = gelu((1.0 + g2) * h + b2)
    return Dense(params["Wo"], params["bo"])(h)[:, 0]


def loss(params, tasks, wd=1e-4):
    total = 0.0
    for t in tasks:
        pred = forward(params, t["x"], t["emb"])
        total += np.mean((pred - t["y"]) ** 2)
    decay = sum(np.sum(v ** 2) for k, v in params.items() if k.startswith("W"))
    return total / len(tasks) + wd * decay


rng = np.random.default_rng(13)
D, H, E = 3, 16, 4
params = {"W1": rng.standard_normal((D, H)) / np.sqrt(D), "b1": np.zeros(H),
          "W2": rng.standard_normal((H, H)) / np.sqrt(H), "b2": np.zeros(H),
          "Wo": rng.standard_normal((H, 1)) / np.sqrt(H), "bo": np.zeros(1),
          "film_W": 0.1 * rng.standard_normal((E, 4 * H)), "film_b": np.zeros(4 * H)}
tasks = []
for k in range(3):
    x = rng.standard_normal((20, D))
    tasks.append({"x": x, "emb": rng.standard_normal(E), "y": np.sin(x @ rng.standard_normal(D)) * (k + 1)})
f = loss
ARGS = (params, tasks)
