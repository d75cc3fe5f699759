"""Training-loop style loss: a generator yields mini-batches, per-batch losses are stored in a dict
with f-string keys, a *args/**kwargs helper combines named loss terms with weights, and the
parameter dict is iterated with .items() for an L2 penalty."""
import numpy as np


def batches(X, y, batch_size):
    for start in range(0, len(X), batch_size):
        yield X[start:start + batch_size], y[start:start + batch_size]


def predict(params, X):
    h = np.maximum(0.0, X @ params["W1"] + params["b1"])
    return h @ params["w2"] + params["b2"]


def weighted_sum(*terms, **weights):
    total = 0.0
    for name, value in terms:
        total = total + weights.get(name, 1.0) * value
    return total


def epoch_loss(params, X, y, batch_size=8, l2=1e-3, huber_delta=1.0):
    losses = {}
    for i, (xb, yb) in enumerate(batches(X, y, batch_size)):
        r = predict(params, xb) - yb
        a = np.abs(r)
        losses[f"batch_{i}"] = np.mean(np.where(a < huber_delta, 0.5 * r ** 2, huber_delta * (a - 0.5 * huber_delta)))
    data_term = sum(losses.values()) / len(losses)
    reg = sum(np.sum(v ** 2) for k, v in params.items() if k.startswith("W") or k.startswith("w"))
    return weighted_sum(("data", data_term), ("reg", reg), data=1.0, reg=l2)


rng = np.random.default_rng(529)
X = rng.standard_normal((30, 4))
y = X @ np.array([1.0, -2.0, 0.5, 0.0]) + 0.5 * rng.standard_normal(30) + 2.0 * (rng.random(30) < 0.1)
params = {"W1": 0.5 * rng.standard_normal((4, 10)), "b1": 0.1 * rng.standard_normal(10),
          "w2": 0.5 * rng.standard_normal(10), "b2": 0.0}

f = epoch_loss
ARGS = (params, X, y)
