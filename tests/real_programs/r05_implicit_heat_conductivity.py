"""Inverse heat conduction: 1-D rod with a spatially varying conductivity on cell faces,
backward-Euler steps solved with np.linalg.solve, compared with temperature snapshots."""
import numpy as np

N = 20
DX = 1.0 / (N + 1)


def assemble(kappa, dx=DX):
    n = len(kappa) - 1
    A = np.zeros((n, n))
    for i in range(n):
        A[i, i] = (kappa[i] + kappa[i + 1]) / dx ** 2
        if i > 0:
            A[i, i - 1] = -kappa[i] / dx ** 2
        if i < n - 1:
            A[i, i + 1] = -kappa[i + 1] / dx ** 2
    return A


def run(log_kappa, u0, source, dt=2e-3, n_steps=10, every=5):
    A = assemble(np.exp(log_kappa))
    M = np.eye(len(u0)) + dt * A
    u = u0
    snapshots = []
    for step in range(n_steps):
        u = np.linalg.solve(M, u + dt * source)
        if (step + 1) % every == 0:
            snapshots.append(u)
    return np.stack(snapshots)


def misfit(log_kappa, u0, source, observed, smooth=1e-3):
    pred = run(log_kappa, u0, source)
    reg = smooth * np.sum(np.diff(log_kappa) ** 2)
    return 0.5 * np.sum((pred - observed) ** 2) + reg


rng = np.random.default_rng(105)
xs = np.linspace(DX, 1 - DX, N)
u0 = np.sin(np.pi * xs)
source = 2.0 * np.exp(-((xs - 0.3) / 0.1) ** 2)
true_log_kappa = np.log(1.0 + 0.5 * np.sin(3 * np.linspace(0, 1, N + 1)))
observed = run(true_log_kappa, u0, source) + 0.01 * rng.standard_normal((2, N))

f = misfit
ARGS = (np.zeros(N + 1) + 0.1 * rng.standard_normal(N + 1), u0, source, observed)
