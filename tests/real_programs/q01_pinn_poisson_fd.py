"""PINN for -u'' = pi^2 sin(pi x) on [0, 1], u(0) = u(1) = 0; the second derivative of the network
taken with central finite differences of the network itself (a common cheap trick)."""
import numpy as np

def init_mlp(sizes, rng):
    params = {}
    for i in range(len(sizes) - 1):
        params[f"W{i}"] = rng.standard_normal((sizes[i], sizes[i + 1])) * np.sqrt(1.0 / sizes[i])
        params[f"b{i}"] = np.zeros(sizes[i + 1])
    return params

def net(params, x):
    h = x[:, None]
    h = np.tanh(h @ params["W0"] + params["b0"])
    h = np.tanh(h @ params["W1"] + params["b1"])
    return (h @ params["W2"] + params["b2"])[:, 0]

def pinn_loss(params, x_col, h=1e-3, bc_weight=10.0):
    u = net(params, x_col)
    u_plus = net(params, x_col + h)
    u_minus = net(params, x_col - h)
    u_xx = (u_plus - 2.0 * u + u_minus) / h ** 2
    source = np.pi ** 2 * np.sin(np.pi * x_col)
    residual = -u_xx - source
    x_bc = np.array([0.0, 1.0])
    u_bc = net(params, x_bc)
    return np.mean(residual ** 2) + bc_weight * np.mean(u_bc ** 2)

rng = np.random.default_rng(1)
params = init_mlp([1, 8, 8, 1], rng)
params["b0"] = 0.1 * rng.standard_normal(8)
x_col = np.linspace(0.05, 0.95, 12)
f = pinn_loss
KW = dict(wrt="params")
ARGS = (params, x_col)
