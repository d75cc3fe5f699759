"""Discrete soft Q-learning (SAC-discrete style) critic loss: twin target networks combined with
np.minimum, soft state value alpha*logsumexp(Q/alpha) from scipy.special, Q(s,a) picked with
np.take_along_axis, Huber TD error; the batch is a dict of arrays."""
import numpy as np
from scipy.special import logsumexp


def qnet(p, s):
    h = np.maximum(s @ p[0] + p[1], 0.0)
    return h @ p[2] + p[3]


def soft_q_loss(params, target_params, batch, alpha=0.2, gamma=0.99):
    s, a, r, s2, done = batch["obs"], batch["action"], batch["reward"], batch["next_obs"], batch["done"]
    q = qnet(params, s)
    q_sa = np.take_along_axis(q, a[:, None], axis=1).squeeze(1)
    q_next = np.minimum(qnet(target_params[0], s2), qnet(target_params[1], s2))
    v_next = alpha * logsumexp(q_next / alpha, axis=1)
    target = r + gamma * (1.0 - done) * v_next
    td = q_sa - target
    return np.mean(np.where(np.abs(td) < 1.0, 0.5 * td ** 2, np.abs(td) - 0.5))


def init(rng, n_in=5, n_h=16, n_out=4):
    return [0.4 * rng.standard_normal((n_in, n_h)), np.zeros(n_h), 0.3 * rng.standard_normal((n_h, n_out)), np.zeros(n_out)]


rng = np.random.default_rng(617)
B = 32
batch = {"obs": rng.standard_normal((B, 5)), "action": rng.integers(0, 4, B), "reward": rng.standard_normal(B),
         "next_obs": rng.standard_normal((B, 5)), "done": (rng.random(B) < 0.1).astype(float)}
params = init(rng)
target_params = (init(rng), init(rng))

f = soft_q_loss
ARGS = (params, target_params, batch)
