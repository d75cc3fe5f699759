"""Glow-style normalising flow on 4-D data: actnorm, invertible 1x1 "convolution" with an LU
parametrisation (fixed permutation, np.tril/np.triu, exp of the diagonal) and affine coupling
layers, stored as a list of (kind, params) pairs and dispatched through a dict of functions."""
import numpy as np


def actnorm(p, x):
    return (x + p["bias"]) * np.exp(p["logs"]), np.sum(p["logs"]) * np.ones(len(x))


def inv1x1(p, x):
    C = x.shape[1]
    L = np.tril(p["L"], -1) + np.eye(C)
    U = np.triu(p["U"], 1) + np.diag(np.exp(p["log_s"]))
    W = p["P"] @ L @ U
    return x @ W.T, np.sum(p["log_s"]) * np.ones(len(x))


def coupling(p, x):
    xa, xb = x[:, :2], x[:, 2:]
    h = np.tanh(xa @ p["W1"] + p["b1"])
    log_scale = np.tanh(h @ p["Ws"]) * p["scale"]
    shift = h @ p["Wt"]
    return np.concatenate([xa, xb * np.exp(log_scale) + shift], axis=1), log_scale.sum(axis=1)


LAYERS = {"actnorm": actnorm, "inv1x1": inv1x1, "coupling": coupling}


def flow_nll(flow, x):
    z, logdet = x, np.zeros(len(x))
    for kind, p in flow:
        z, ld = LAYERS[kind](p, z)
        logdet = logdet + ld
    log_pz = -0.5 * np.sum(z ** 2, axis=1) - 0.5 * z.shape[1] * np.log(2 * np.pi)
    return -np.mean(log_pz + logdet)


rng = np.random.default_rng(623)
n, D, H = 64, 4, 8
base = rng.standard_normal((n, D))
x = np.column_stack([base[:, 0], base[:, 0] ** 2 * 0.5 + 0.3 * base[:, 1], np.sin(base[:, 2]), base[:, 3] + base[:, 0]])
flow = []
for layer in range(2):
    flow.append(("actnorm", {"bias": 0.1 * rng.standard_normal(D), "logs": 0.1 * rng.standard_normal(D)}))
    flow.append(("inv1x1", {"P": np.eye(D)[rng.permutation(D)], "L": 0.3 * rng.standard_normal((D, D)),
                            "U": 0.3 * rng.standard_normal((D, D)), "log_s": 0.1 * rng.standard_normal(D)}))
    flow.append(("coupling", {"W1": 0.5 * rng.standard_normal((2, H)), "b1": np.zeros(H),
                              "Ws": 0.3 * rng.standard_normal((H, 2)), "Wt": 0.3 * rng.standard_normal((H, 2)),
                              "scale": np.ones(2)}))

f = flow_nll
ARGS = (flow, x)
