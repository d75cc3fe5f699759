"""Smoothed bounded-resource allocation: a dynamic programming table V[k, c] over items and
integer capacity filled by rows, with a soft-max over 'take/skip' choices (logaddexp), values from
learnable item utilities; the final table entry is the objective."""
import numpy as np


def soft_knapsack(util, weights, cap, tau=0.3):
    n = len(util)
    V = np.zeros((n + 1, cap + 1))
    for k in range(1, n + 1):
        w = weights[k - 1]
        V[k, :] = V[k - 1, :]
        take = V[k - 1, :cap + 1 - w] + util[k - 1]
        V[k, w:] = tau * np.logaddexp(V[k - 1, w:] / tau, take / tau)
    return V[n, cap]


def loss(util, weights, cap, target):
    return (soft_knapsack(util, weights, cap) - target) ** 2 + 0.01 * np.sum(util ** 2)


f = loss
ARGS = (np.array([1.0, 2.2, 0.7, 1.5, 1.9]), [2, 3, 1, 2, 4], 7, 4.0)
