"""Learning to reweight training examples: a logistic-regression model trained for a few epochs by
an optimiser object (Nesterov momentum, velocity kept on the object, in-place -= on the weight
copy it owns) with a cosine learning-rate schedule made by a closure (math.cos); the per-example
weights enter the training loss, the clean validation loss after training is differentiated w.r.t.
those weights."""
import math

import numpy as np


def cosine_schedule(base_lr, total_steps, warmup=2):
    def lr_at(step):
        if step < warmup:
            return base_lr * (step + 1) / warmup
        progress = (step - warmup) / max(1, total_steps - warmup)
        return 0.5 * base_lr * (1.0 + math.cos(math.pi * progress))
    return lr_at


class Nesterov:
    def __init__(self, w0, schedule, momentum=0.9):
        self.w = w0.copy()
        self.v = np.zeros_like(w0)
        self.schedule = schedule
        self.mu = momentum
        self.step_count = 0

    def step(self, grad_fn):
        lr = self.schedule(self.step_count)
        lookahead = self.w + self.mu * self.v
        g = grad_fn(lookahead)
        self.v = self.mu * self.v - lr * g
        self.w += self.v
        self.step_count += 1
        return self.w


def sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def validation_after_training(example_w, X, y, X_val, y_val, steps=8):
    def weighted_grad(w):
        p = sigmoid(X @ w)
        return X.T @ (example_w * (p - y)) / np.sum(example_w) + 1e-2 * w

    opt = Nesterov(np.zeros(X.shape[1]), cosine_schedule(1.5, steps))
    for _ in range(steps):
        w = opt.step(weighted_grad)
    z = X_val @ w
    return np.mean(np.logaddexp(0.0, z) - y_val * z)


rng = np.random.default_rng(2014)
w_true = np.array([1.5, -2.0, 0.5, 0.0])
X, X_val = rng.standard_normal((40, 4)), rng.standard_normal((30, 4))
y = (rng.random(40) < sigmoid(X @ w_true)).astype(float)
y[:8] = 1.0 - y[:8]  # noisy labels
y_val = (rng.random(30) < sigmoid(X_val @ w_true)).astype(float)
f = validation_after_training
ARGS = (np.ones(40), X, y, X_val, y_val)
