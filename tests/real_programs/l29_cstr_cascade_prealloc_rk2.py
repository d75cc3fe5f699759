"""Cascade of continuous stirred-tank reactors (A -> B -> C, Arrhenius rates): states preallocated
with np.empty and filled by a Heun (RK2) loop Y[i + 1] = ..., per-tank rates accumulated with
rates[j] += ..., np.diff(Y, axis=0) for a smoothness check, yield of B and a temperature-cost tradeoff;
w.r.t. the tank temperatures."""
import numpy as np

R_GAS = 8.314


def rhs(y, T, k0, Ea, tau, feed):
    n = len(T)
    dy = np.zeros_like(y)
    for j in range(n):
        rates = np.zeros(2)
        k = k0 * np.exp(-Ea / (R_GAS * T[j]))
        rates[0] += k[0] * y[2 * j]
        rates[1] += k[1] * y[2 * j + 1]
        inA = feed[0] if j == 0 else y[2 * (j - 1)]
        inB = feed[1] if j == 0 else y[2 * (j - 1) + 1]
        dy[2 * j] = (inA - y[2 * j]) / tau - rates[0]
        dy[2 * j + 1] = (inB - y[2 * j + 1]) / tau + rates[0] - rates[1]
    return dy


def operate(T, k0, Ea, tau=2.0, feed=(1.0, 0.0), dt=0.1, steps=40):
    n = len(T)
    Y = np.empty((steps + 1, 2 * n))
    Y[0] = 0.0
    for i in range(steps):
        k1 = rhs(Y[i], T, k0, Ea, tau, feed)
        k2 = rhs(Y[i] + dt * k1, T, k0, Ea, tau, feed)
        Y[i + 1] = Y[i] + 0.5 * dt * (k1 + k2)
    yield_B = Y[-1, -1]
    wiggle = np.sum(np.diff(Y, axis=0) ** 2)
    heat = 1e-5 * np.sum((T - 300.0) ** 2)
    return -yield_B + heat + 0.1 * wiggle


k0 = np.array([4.0e6, 2.0e9])
Ea = np.array([4.5e4, 6.5e4])
T = np.array([335.0, 345.0, 340.0])

f = operate
ARGS = (T, k0, Ea)
