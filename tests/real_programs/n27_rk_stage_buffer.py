"""Explicit RK4 written with a preallocated stage buffer k = np.zeros((4, n)) whose rows are filled
in place (k[0] = f(y)...), used for an SIR-type compartment model with a state history array;
wrt the transmission/recovery parameters."""
import numpy as np


def rhs(y, beta, gamma):
    S, I, R = y
    out = np.empty(3)
    out[0] = -beta * S * I
    out[1] = beta * S * I - gamma * I
    out[2] = gamma * I
    return out


def integrate(theta, y0, h=0.2, steps=30):
    beta, gamma = theta
    k = np.zeros((4, 3))
    Y = np.zeros((steps + 1, 3))
    Y[0] = y0
    y = y0.copy()
    for t in range(steps):
        k[0] = rhs(y, beta, gamma)
        k[1] = rhs(y + 0.5 * h * k[0], beta, gamma)
        k[2] = rhs(y + 0.5 * h * k[1], beta, gamma)
        k[3] = rhs(y + h * k[2], beta, gamma)
        y += h / 6.0 * (k[0] + 2 * k[1] + 2 * k[2] + k[3])
        Y[t + 1] = y
    return Y


def loss(theta, y0, obs):
    Y = integrate(theta, y0)
    return np.sum((Y[::5, 1] - obs) ** 2)


y0 = np.array([0.99, 0.01, 0.0])
obs = integrate(np.array([1.5, 0.4]), y0)[::5, 1]
f = loss
ARGS = (np.array([1.3, 0.45]), y0, obs)
