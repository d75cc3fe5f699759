import numpy as np

def forward(params, x):
    h = np.tanh(x @ params["w1"] + params["b1"])
    return h @ params["w2"] + params["b2"]

def loss_with_ema_target(params, ema_params, x, y, tau=0.9):
    # target network = EMA of the online weights (stop-gradient style: ema_params are data)
    target_params = {k: tau * ema_params[k] + (1 - tau) * v for k, v in params.items()}
    pred = forward(params, x)
    target = forward(target_params, x)
    decay = {name: np.sum(w ** 2) for name, w in params.items() if name.startswith("w")}
    return np.mean((pred - y) ** 2) + 0.1 * np.mean((pred - target) ** 2) + 1e-3 * sum(decay.values())

rng = np.random.default_rng(34)
params = {"w1": rng.standard_normal((3, 8)) * 0.5, "b1": np.zeros(8) + 0.1,
          "w2": rng.standard_normal((8, 1)) * 0.5, "b2": np.zeros(1) + 0.1}
ema = {k: v + 0.05 * rng.standard_normal(v.shape) for k, v in params.items()}
x = rng.standard_normal((10, 3)); y = rng.standard_normal((10, 1))
f = loss_with_ema_target
ARGS = (params, ema, x, y)
