"""A training step's loss returning (loss, metrics) with has_aux=True: metrics is a dict built with
f-string keys from per-class accuracies and the logits' statistics; nested tuple unpacking of a
helper's ((logits, probs), stats) result and a star-call f(*pair)."""
import numpy as np


def forward(params, X):
    W, b = params
    logits = X @ W + b
    z = logits - logits.max(axis=1, keepdims=True)
    probs = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    return (logits, probs), (logits.mean(), logits.std())


def xent(probs, Y):
    return -np.mean(np.sum(Y * np.log(probs + 1e-12), axis=1))


def loss(params, X, Y, smoothing=0.1):
    (logits, probs), (mu, sd) = forward(params, X)
    k = Y.shape[1]
    Ys = (1.0 - smoothing) * Y + smoothing / k
    pair = (probs, Ys)
    value = xent(*pair)
    pred = probs.argmax(axis=1)
    metrics = {f"acc_class{c}": float(np.mean(pred[Y[:, c] == 1] == c)) for c in range(k)}
    metrics["logit_mean"] = mu
    metrics["logit_std"] = sd
    return value, metrics


rng = np.random.default_rng(28)
X = rng.standard_normal((24, 4))
lab = np.argmax(X[:, :3] + 0.3 * rng.standard_normal((24, 3)), axis=1)
Y = np.eye(3)[lab]
params = (0.3 * rng.standard_normal((4, 3)), np.zeros(3))

f = loss
ARGS = (params, X, Y)
KW = {"has_aux": True}
