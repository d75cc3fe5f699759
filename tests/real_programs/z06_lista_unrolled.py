"""LISTA (learned ISTA, Gregor & LeCun): K unrolled layers, each a dict with its own W (measurement
to code), S (code to code) and a soft-threshold level theta; trained to match the sparse codes a
long run of plain ISTA finds.  Loss: code MSE (per-sample codes flattened Fortran-order, as they
were exported from MATLAB, against per-entry weights), an l1 term through np.linalg.norm(ord=1) and
a reconstruction term.  Differentiated w.r.t. the list of layer dicts."""
import numpy as np


def soft_threshold(z, theta):
    return np.sign(z) * np.maximum(np.abs(z) - theta, 0.0)


def lista(layers, Y):
    Z = None
    for k, layer in enumerate(layers):
        if k == 0:
            Z = soft_threshold(layer["W"] @ Y, layer["theta"])
        else:
            Z = soft_threshold(layer["W"] @ Y + layer["S"] @ Z, layer["theta"])
    return Z


def loss(layers, Y, Z_star, D, entry_w):
    Z = lista(layers, Y)
    err = np.ravel(Z - Z_star, order="F") ** 2 @ entry_w / Y.shape[1]
    l1 = sum(np.linalg.norm(Z[:, j], ord=1) for j in range(Z.shape[1])) / Y.shape[1]
    recon = np.linalg.norm(D @ Z - Y, "fro") ** 2 / Y.shape[1]
    return err + 0.01 * l1 + 0.1 * recon


rng = np.random.default_rng(6)
m, n, N, K = 8, 16, 10, 3
D = rng.standard_normal((m, n)) / np.sqrt(m)
Z_true = rng.standard_normal((n, N)) * (rng.random((n, N)) < 0.2)
Y = D @ Z_true + 0.01 * rng.standard_normal((m, N))
L = np.linalg.norm(D, 2) ** 2
lam = 0.05
Z_star = np.zeros((n, N))
for _ in range(500):
    Z_star = soft_threshold(Z_star - D.T @ (D @ Z_star - Y) / L, lam / L)
layers = [{"W": D.T / L + 0.01 * rng.standard_normal((n, m)),
           "S": np.eye(n) - D.T @ D / L + 0.01 * rng.standard_normal((n, n)),
           "theta": lam / L} for _ in range(K)]
entry_w = np.linspace(0.5, 1.5, n * N)
f = loss
ARGS = (layers, Y, Z_star, D, entry_w)
