"""Gradient-descent inner loop the way many research scripts write it: momentum buffer and
parameters updated with in-place ops, a 'best' snapshot kept via .copy(), an alias 'theta = w'
then theta -= ...; the outer loss (validation error after training) is differentiated wrt the data
weights used in the training loss."""
import numpy as np


def train(sample_w, X, y, lr=0.1, mu=0.5, steps=8):
    n, p = X.shape
    w = np.zeros(p)
    v = np.zeros(p)
    for _ in range(steps):
        r = X @ w - y
        g = X.T @ (sample_w * r) / n
        v *= mu
        v += g
        theta = w
        theta -= lr * v
    return w


def val_loss(sample_w, X, y, Xv, yv):
    w = train(sample_w, X, y)
    r = Xv @ w - yv
    return r @ r / len(yv)


rng = np.random.default_rng(28)
X = rng.standard_normal((12, 3))
wt = np.array([1.0, -2.0, 0.5])
y = X @ wt + 0.1 * rng.standard_normal(12)
Xv = rng.standard_normal((6, 3))
f = val_loss
ARGS = (np.ones(12) + 0.1 * rng.standard_normal(12), X, y, Xv, Xv @ wt)
