"""MAML-style meta-learning on sine-wave regression: a shared tanh feature layer, a linear head
adapted per task by three inner steps of hand-derived least-squares gradient descent with a
learnable inner learning rate; the meta-loss is the post-adaptation query error."""
import numpy as np


def features(W, b, x):
    return np.tanh(x[:, None] * W + b)


def adapt(head, H, y, lr, steps=3):
    for _ in range(steps):
        resid = H @ head - y
        grad = 2.0 * H.T @ resid / len(y)
        head = head - lr * grad
    return head


def meta_loss(meta, tasks):
    lr = np.exp(meta["log_lr"])
    losses = []
    for x_s, y_s, x_q, y_q in tasks:
        head = adapt(meta["head"], features(meta["W"], meta["b"], x_s), y_s, lr)
        pred = features(meta["W"], meta["b"], x_q) @ head
        losses.append(np.mean((pred - y_q) ** 2))
    return np.mean(losses)


def make_task(rng, n_support=8, n_query=12):
    amp, phase = rng.uniform(0.5, 2.0), rng.uniform(0, np.pi)
    xs, xq = rng.uniform(-3, 3, n_support), rng.uniform(-3, 3, n_query)
    return xs, amp * np.sin(xs + phase), xq, amp * np.sin(xq + phase)


rng = np.random.default_rng(131)
tasks = [make_task(rng) for _ in range(5)]
hidden = 16
meta = {"W": rng.standard_normal(hidden), "b": rng.uniform(-2, 2, hidden),
        "head": 0.1 * rng.standard_normal(hidden), "log_lr": np.log(0.1)}

f = meta_loss
ARGS = (meta, tasks)
