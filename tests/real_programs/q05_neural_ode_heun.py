"""Neural ODE fitted to a spiral: Heun's method, the states collected in a list and stacked."""
import numpy as np

def mlp_field(params, z):
    h = np.tanh(z @ params["W1"] + params["b1"])
    return h @ params["W2"]

def odeint_heun(field, z0, ts):
    zs = [z0]
    z = z0
    for i in range(len(ts) - 1):
        dt = ts[i + 1] - ts[i]
        k1 = field(z)
        k2 = field(z + dt * k1)
        z = z + 0.5 * dt * (k1 + k2)
        zs.append(z)
    return np.stack(zs)

def loss(params, z0, ts, target):
    traj = odeint_heun(lambda z: mlp_field(params, z), z0, ts)
    return np.mean((traj - target) ** 2)

rng = np.random.default_rng(5)
ts = np.linspace(0, 2, 15)
target = np.stack([np.exp(-0.3 * ts) * np.cos(2 * ts), np.exp(-0.3 * ts) * np.sin(2 * ts)], axis=1)
params = {"W1": 0.5 * rng.standard_normal((2, 16)), "b1": 0.1 * rng.standard_normal(16),
          "W2": 0.5 * rng.standard_normal((16, 2))}
f = loss
KW = dict(wrt="params")
ARGS = (params, np.array([1.0, 0.0]), ts, target)
EXTRA = ["checkpoint"]
