"""DQN temporal-difference loss with a target network, double-Q action selection, terminal masks,
gathers with np.take_along_axis and fancy indexing, Huber loss."""
import numpy as np

def q_net(params, s):
    h = np.maximum(s @ params["W1"] + params["b1"], 0.0)
    return h @ params["W2"] + params["b2"]

def huber(x, delta=1.0):
    ax = np.abs(x)
    return np.where(ax <= delta, 0.5 * x ** 2, delta * (ax - 0.5 * delta))

def td_loss(params, target_params, batch, gamma=0.99):
    s, a, r, s2, done = batch["s"], batch["a"], batch["r"], batch["s2"], batch["done"]
    q = q_net(params, s)
    q_sa = np.take_along_axis(q, a[:, None], axis=1)[:, 0]
    q_next_online = q_net(params, s2)
    a_star = np.argmax(q_next_online, axis=1)
    q_next_target = q_net(target_params, s2)
    q_next = q_next_target[np.arange(len(a_star)), a_star]
    target = r + gamma * (1.0 - done) * q_next
    return np.mean(huber(q_sa - target))

rng = np.random.default_rng(9)
B, S, A, Hd = 16, 4, 3, 12
def make(rng):
    return {"W1": rng.standard_normal((S, Hd)) * 0.5, "b1": 0.1 * rng.standard_normal(Hd),
            "W2": rng.standard_normal((Hd, A)) * 0.5, "b2": np.zeros(A)}
params, target_params = make(rng), make(rng)
batch = {"s": rng.standard_normal((B, S)), "a": rng.integers(0, A, B), "r": rng.standard_normal(B),
         "s2": rng.standard_normal((B, S)), "done": (rng.random(B) < 0.2).astype(float)}
f = td_loss
KW = dict(wrt="params")
ARGS = (params, target_params, batch)
