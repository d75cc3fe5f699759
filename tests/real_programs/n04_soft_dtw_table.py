"""Soft dynamic time warping: cost matrix by broadcasting, a (n+1) x (m+1) table of infinities
filled cell by cell with a soft-min (log-sum-exp), template learned from several sequences."""
import numpy as np


def softmin3(a, b, c, gamma):
    z = -np.array([a, b, c]) / gamma
    zmax = np.max(z)
    return -gamma * (zmax + np.log(np.sum(np.exp(z - zmax))))


def soft_dtw(x, y, gamma=0.1):
    n, m = len(x), len(y)
    D = (x[:, None] - y[None, :]) ** 2
    R = np.full((n + 1, m + 1), np.inf)
    R[0, 0] = 0.0
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            R[i, j] = D[i - 1, j - 1] + softmin3(R[i - 1, j], R[i, j - 1], R[i - 1, j - 1], gamma)
    return R[n, m]


def template_loss(template, seqs):
    total = 0.0
    for s in seqs:
        total += soft_dtw(template, s)
    return total / len(seqs) + 0.01 * np.sum(np.diff(template) ** 2)


t = np.linspace(0, 1, 9)
seqs = [np.sin(2 * np.pi * (t * 1.1 + 0.05 * k)) for k in range(3)]
f = template_loss
ARGS = (np.sin(2 * np.pi * np.linspace(0, 1, 7)) * 0.8, seqs)
