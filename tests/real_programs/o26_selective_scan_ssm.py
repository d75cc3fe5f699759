"""A Mamba-style selective state-space layer on a short sequence: the step size, input and output
matrices depend on the input (dt = softplus(x W_dt + b), B = x W_B, C = x W_C), the diagonal
state matrix is -exp(A_log), discretised per step with exp(dt * A), the recurrence is run by a
Python loop appending outputs to a list stacked afterwards, then gated by SiLU of a second branch
and projected out.  Next-step regression loss w.r.t. the parameter dict."""
import numpy as np


def softplus(z):
    return np.logaddexp(0.0, z)


def silu(z):
    return z / (1.0 + np.exp(-z))


def selective_scan(x, p):
    L, D = x.shape
    A = -np.exp(p["A_log"])                          # (D, N)
    dt = softplus(x @ p["W_dt"] + p["b_dt"])         # (L, D)
    B = x @ p["W_B"]                                 # (L, N)
    C = x @ p["W_C"]                                 # (L, N)
    h = np.zeros_like(A)
    ys = []
    for t in range(L):
        dA = np.exp(dt[t][:, None] * A)
        dBx = dt[t][:, None] * B[t][None, :] * x[t][:, None]
        h = dA * h + dBx
        ys.append(h @ C[t] + p["D_skip"] * x[t])
    return np.stack(ys)


def block(u, p):
    x = u @ p["W_in"]
    z = u @ p["W_gate"]
    y = selective_scan(np.tanh(x), p) * silu(z)
    return u + y @ p["W_out"]


def loss(p, seq):
    out = block(seq[:-1], p)
    pred = out @ p["W_head"]
    return np.mean((pred - seq[1:]) ** 2)


rng = np.random.default_rng(26)
E, D, N, L = 3, 6, 4, 12
p = {"W_in": rng.standard_normal((E, D)) / np.sqrt(E), "W_gate": rng.standard_normal((E, D)) / np.sqrt(E),
     "A_log": np.log(rng.uniform(0.5, 2.0, (D, N))), "W_dt": 0.3 * rng.standard_normal((D, D)),
     "b_dt": np.full(D, -1.0), "W_B": rng.standard_normal((D, N)) / np.sqrt(D),
     "W_C": rng.standard_normal((D, N)) / np.sqrt(D), "D_skip": np.ones(D),
     "W_out": rng.standard_normal((D, E)) / np.sqrt(D), "W_head": np.eye(E)}
t = np.linspace(0, 4 * np.pi, L + 1)
seq = np.stack([np.sin(t), np.cos(1.5 * t), np.sin(0.5 * t + 1)], axis=1)
f = loss
ARGS = (p, seq)
