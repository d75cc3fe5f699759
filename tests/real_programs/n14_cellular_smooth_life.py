"""Smooth cellular automaton (Lenia-like): neighbourhood sums by np.roll stencils, a smooth growth
rule, state clipped in place (A[A > 1] = 1 and A[A < 0] = 0) each step; parameters of the growth
function fitted so that total mass after a few steps hits a target."""
import numpy as np


def neighbourhood(A):
    s = np.zeros_like(A)
    for dx in (-1, 0, 1):
        for dy in (-1, 0, 1):
            if dx == 0 and dy == 0:
                continue
            s += np.roll(np.roll(A, dx, axis=0), dy, axis=1)
    return s / 8.0


def step(A, mu, sigma, dt=0.2):
    n = neighbourhood(A)
    growth = 2.0 * np.exp(-((n - mu) ** 2) / (2 * sigma ** 2)) - 1.0
    A = A + dt * growth
    A[A > 1] = 1.0
    A[A < 0] = 0.0
    return A


def loss(theta, A0, target):
    mu, sigma = theta[0], theta[1]
    A = A0.copy()
    for _ in range(4):
        A = step(A, mu, sigma)
    return (A.sum() - target) ** 2 + np.sum(A[2:5, 2:5] ** 2)


rng = np.random.default_rng(14)
A0 = np.clip(rng.uniform(0, 1, (8, 8)) * 0.8, 0, 1)
f = loss
ARGS = (np.array([0.35, 0.12]), A0, 20.0)
