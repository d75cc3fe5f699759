"""Hyper-gradient of validation loss w.r.t. learning rate, momentum and weight decay through an
unrolled training run using a PyTorch-like SGD optimizer class that updates parameter arrays
in place (buf *= momentum; buf += g; p -= lr * buf) from hand-written gradients."""
import numpy as np


class SGD:
    def __init__(self, params, lr, momentum=0.0, weight_decay=0.0):
        self.params = params
        self.lr, self.momentum, self.weight_decay = lr, momentum, weight_decay
        self.bufs = [np.zeros_like(p) for p in params]

    def step(self, grads):
        for p, g, buf in zip(self.params, grads, self.bufs):
            g = g + self.weight_decay * p
            buf *= self.momentum
            buf += g
            p -= self.lr * buf


def logistic_grads(params, X, y):
    w, b = params
    p = 1.0 / (1.0 + np.exp(-(X @ w + b)))
    r = (p - y) / len(y)
    return [X.T @ r, np.array([r.sum()])]


def val_loss(hyper, w0, Xtr, ytr, Xva, yva, steps=25):
    params = [w0.copy(), np.zeros(1)]
    opt = SGD(params, lr=hyper["lr"], momentum=hyper["momentum"], weight_decay=hyper["wd"])
    for _ in range(steps):
        opt.step(logistic_grads(params, Xtr, ytr))
    w, b = params
    z = Xva @ w + b
    return np.mean(np.logaddexp(0.0, z) - yva * z)


rng = np.random.default_rng(638)
d = 5
w_true = rng.standard_normal(d)
Xtr, Xva = rng.standard_normal((60, d)), rng.standard_normal((40, d))
ytr = (rng.random(60) < 1 / (1 + np.exp(-Xtr @ w_true))).astype(float)
yva = (rng.random(40) < 1 / (1 + np.exp(-Xva @ w_true))).astype(float)
w0 = 0.1 * rng.standard_normal(d)
hyper = {"lr": 0.5, "momentum": 0.8, "wd": 1e-3}

f = val_loss
ARGS = (hyper, w0, Xtr, ytr, Xva, yva)
