"""Unrolled training with an Adam optimiser written as a class that keeps its state (step count,
first and second moments in dicts keyed by parameter name); a two-layer tanh network's gradient is
written by hand, the way a backprop course teaches it.  Three Adam steps on a training batch, then
the validation loss, differentiated w.r.t. the initial parameters (a meta-learned initialisation)."""
import numpy as np


class Adam:
    def __init__(self, params, lr=1e-2, betas=(0.9, 0.999), eps=1e-8):
        self.lr = lr
        self.b1, self.b2 = betas
        self.eps = eps
        self.t = 0
        self.m = {k: np.zeros_like(v) for k, v in params.items()}
        self.v = {k: np.zeros_like(v) for k, v in params.items()}

    def step(self, params, grads):
        self.t += 1
        new = {}
        for k in params:
            self.m[k] = self.b1 * self.m[k] + (1 - self.b1) * grads[k]
            self.v[k] = self.b2 * self.v[k] + (1 - self.b2) * grads[k] ** 2
            m_hat = self.m[k] / (1 - self.b1 ** self.t)
            v_hat = self.v[k] / (1 - self.b2 ** self.t)
            new[k] = params[k] - self.lr * m_hat / (np.sqrt(v_hat) + self.eps)
        return new


def forward(params, X):
    h = np.tanh(X @ params["W1"] + params["b1"])
    return h, h @ params["W2"] + params["b2"]


def mse_and_grads(params, X, y):
    h, out = forward(params, X)
    err = out - y
    loss = np.mean(err ** 2)
    d_out = 2 * err / err.size
    grads = {
        "W2": h.T @ d_out,
        "b2": d_out.sum(axis=0),
    }
    d_h = d_out @ params["W2"].T * (1 - h ** 2)
    grads["W1"] = X.T @ d_h
    grads["b1"] = d_h.sum(axis=0)
    return loss, grads


def val_loss_after_training(params, X_tr, y_tr, X_val, y_val, steps=3):
    opt = Adam(params, lr=0.05)
    for _ in range(steps):
        _, grads = mse_and_grads(params, X_tr, y_tr)
        params = opt.step(params, grads)
    _, pred = forward(params, X_val)
    return np.mean((pred - y_val) ** 2)


rng = np.random.default_rng(701)
X_tr, X_val = rng.standard_normal((32, 3)), rng.standard_normal((16, 3))
true_fn = lambda X: np.sin(X[:, :1]) + 0.5 * X[:, 1:2] * X[:, 2:3]
y_tr, y_val = true_fn(X_tr), true_fn(X_val)
params = {
    "W1": rng.standard_normal((3, 8)) * 0.5,
    "b1": np.zeros(8) + 0.01 * rng.standard_normal(8),
    "W2": rng.standard_normal((8, 1)) * 0.5,
    "b2": np.array([0.05]),
}

f = val_loss_after_training
ARGS = (params, X_tr, y_tr, X_val, y_val)
