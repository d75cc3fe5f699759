"""Graph neural network, two rounds of message passing: messages on edges from the sender's and the
receiver's features, summed into the receivers with np.add.at, mean-pooled readout."""
import numpy as np

def message_passing(h, senders, receivers, W_msg, W_upd):
    n = h.shape[0]
    m_in = np.concatenate([h[senders], h[receivers]], axis=1)
    msg = np.tanh(m_in @ W_msg)
    agg = np.zeros((n, msg.shape[1]))
    np.add.at(agg, receivers, msg)
    deg = np.bincount(receivers, minlength=n)[:, None]
    agg = agg / np.maximum(deg, 1)
    return np.tanh(np.concatenate([h, agg], axis=1) @ W_upd)

def gnn_loss(params, x, senders, receivers, y):
    h = x
    for layer in params["layers"]:
        h = message_passing(h, senders, receivers, layer["W_msg"], layer["W_upd"])
    g = h.mean(axis=0)
    pred = g @ params["w_out"]
    return (pred - y) ** 2

rng = np.random.default_rng(10)
n, d = 8, 4
senders = np.array([0, 1, 2, 3, 4, 5, 6, 7, 0, 2, 4, 1])
receivers = np.array([1, 2, 3, 4, 5, 6, 7, 0, 4, 6, 0, 1])
params = {"layers": [{"W_msg": rng.standard_normal((2 * d, d)) * 0.5, "W_upd": rng.standard_normal((2 * d, d)) * 0.5}
                     for _ in range(2)],
          "w_out": rng.standard_normal(d)}
f = gnn_loss
KW = dict(wrt="params")
ARGS = (params, rng.standard_normal((n, d)), senders, receivers, 0.7)
