"""Diagonal linear state-space layer (S4D-style, real parameterisation): continuous-time
A = -exp(log_a), zero-order-hold discretisation with a learned step, the layer run both as a
recurrence over time (for the loss) and as a convolution kernel K[l] = C diag(Abar^l) Bbar whose
squared norm is regularised; GELU (tanh approximation) then a linear readout."""
import numpy as np


def discretize(log_a, B, log_dt):
    A = -np.exp(log_a)
    dt = np.exp(log_dt)
    Abar = np.exp(dt * A)
    Bbar = (Abar - 1.0) / A * B
    return Abar, Bbar


def gelu(x):
    return 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x ** 3)))


def ssm_scan(u, Abar, Bbar, C, D):
    x = np.zeros_like(Abar)
    ys = []
    for u_t in u:
        x = Abar * x + Bbar * u_t
        ys.append(C @ x + D * u_t)
    return np.array(ys)


def ssm_kernel(Abar, Bbar, C, L):
    powers = Abar[None, :] ** np.arange(L)[:, None]
    return powers @ (C * Bbar)


def loss(p, u, target, kernel_reg=1e-3):
    Abar, Bbar = discretize(p["log_a"], p["B"], p["log_dt"])
    y = ssm_scan(u, Abar, Bbar, p["C"], p["D"])
    out = gelu(y) * p["w_out"] + p["b_out"]
    K = ssm_kernel(Abar, Bbar, p["C"], len(u))
    return np.mean((out - target) ** 2) + kernel_reg * np.sum(K ** 2)


rng = np.random.default_rng(26)
N, L = 6, 30
u = np.sin(np.linspace(0, 6, L)) + 0.3 * rng.standard_normal(L)
target = np.convolve(u, np.exp(-np.arange(8) / 3.0), mode="full")[:L] * 0.3
p = {"log_a": np.log(0.5 + np.arange(N)), "B": rng.standard_normal(N), "C": 0.5 * rng.standard_normal(N),
     "D": 0.1, "log_dt": np.log(0.1), "w_out": 1.0, "b_out": 0.0}
f = loss
KW = dict(wrt="p")
ARGS = (p, u, target)
