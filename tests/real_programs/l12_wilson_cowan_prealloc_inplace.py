"""Wilson-Cowan E/I network fit to recorded rates: preallocated trajectories filled step by step
(E[t + 1] = ...), synaptic input accumulated with x[i] += ... in a Python loop over populations,
a rectified readout written in place (r[r < 0] = 0), loss against the recording; w.r.t. the couplings."""
import numpy as np


def sigmoid(x, gain=1.0, thr=0.0):
    return 1.0 / (1.0 + np.exp(-gain * (x - thr)))


def simulate(W, ext, T, dt=0.1, tau=(1.0, 2.0)):
    n = W.shape[0] // 2
    E = np.zeros((T, n))
    I = np.zeros((T, n))
    E[0] = 0.1
    I[0] = 0.05
    for t in range(T - 1):
        inp = np.zeros(n)
        for i in range(n):
            inp[i] += W[i, :n] @ E[t] - W[i, n:] @ I[t] + ext[t, i]
        E[t + 1] = E[t] + dt / tau[0] * (-E[t] + sigmoid(inp, 1.3, 1.0))
        I[t + 1] = I[t] + dt / tau[1] * (-I[t] + sigmoid(W[n:, :n] @ E[t] - W[n:, n:] @ I[t], 2.0, 1.5))
    return E, I


def fit_loss(W, ext, rec):
    E, I = simulate(W, ext, rec.shape[0])
    r = E - 0.2
    r[r < 0] = 0
    return np.mean((r - rec) ** 2) + 1e-3 * np.sum(W ** 2)


rng = np.random.default_rng(112)
n, T = 3, 40
W_true = np.abs(rng.normal(1.0, 0.4, (2 * n, 2 * n)))
ext = 0.8 + 0.3 * np.sin(np.linspace(0, 4 * np.pi, T))[:, None] + 0.05 * rng.standard_normal((T, n))
E_true, _ = simulate(W_true, ext, T)
rec = np.maximum(E_true - 0.2, 0) + 0.01 * rng.standard_normal((T, n))
W = W_true + 0.1 * rng.standard_normal(W_true.shape)

f = fit_loss
ARGS = (W, ext, rec)
