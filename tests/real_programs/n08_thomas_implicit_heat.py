"""Implicit (backward Euler) heat equation with spatially varying conductivity: tridiagonal
coefficient arrays built by slice writes, Thomas algorithm modifying c' and d' arrays in place."""
import numpy as np


def thomas(a, b, c, d):
    n = len(d)
    cp = np.zeros(n)
    dp = np.zeros(n)
    cp[0] = c[0] / b[0]
    dp[0] = d[0] / b[0]
    for i in range(1, n):
        m = b[i] - a[i] * cp[i - 1]
        cp[i] = c[i] / m if i < n - 1 else 0.0
        dp[i] = (d[i] - a[i] * dp[i - 1]) / m
    x = np.zeros(n)
    x[-1] = dp[-1]
    for i in range(n - 2, -1, -1):
        x[i] = dp[i] - cp[i] * x[i + 1]
    return x


def simulate(logk, T0, dt=0.01, steps=20):
    n = len(T0)
    k = np.exp(logk)
    dx = 1.0 / (n + 1)
    kf = np.empty(n + 1)
    kf[1:-1] = 0.5 * (k[1:] + k[:-1])
    kf[0] = k[0]
    kf[-1] = k[-1]
    r = dt / dx ** 2
    a = np.zeros(n)
    b = np.ones(n)
    c = np.zeros(n)
    a[1:] = -r * kf[1:-1]
    c[:-1] = -r * kf[1:-1]
    b += r * (kf[:-1] + kf[1:])
    T = T0.copy()
    for _ in range(steps):
        T = thomas(a, b, c, T)
    return T


def loss(logk, T0, obs):
    return np.sum((simulate(logk, T0) - obs) ** 2) + 1e-3 * np.sum(np.diff(logk) ** 2)


n = 12
xg = np.linspace(0, 1, n + 2)[1:-1]
T0 = np.sin(np.pi * xg)
obs = simulate(0.2 * np.cos(3 * xg), T0)
f = loss
ARGS = (np.zeros(n) + 0.05 * np.arange(n) / n, T0, obs)
