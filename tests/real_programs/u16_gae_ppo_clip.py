"""PPO update loss on a rollout: GAE advantages computed with a reversed loop over time (from the
rollout's old values), advantage normalisation, clipped probability ratio, clipped value loss and
an entropy bonus, for a small shared-trunk actor-critic."""
import numpy as np


def gae(rewards, values, dones, gamma=0.99, lam=0.95):
    adv = np.zeros_like(rewards)
    last = 0.0
    for t in reversed(range(len(rewards))):
        nonterminal = 1.0 - dones[t]
        delta = rewards[t] + gamma * values[t + 1] * nonterminal - values[t]
        last = delta + gamma * lam * nonterminal * last
        adv[t] = last
    return adv, adv + values[:-1]


def actor_critic(params, obs):
    h = np.tanh(obs @ params["W"] + params["b"])
    return h @ params["W_pi"], (h @ params["w_v"]).ravel()


def log_softmax(z):
    z = z - z.max(axis=-1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=-1, keepdims=True))


def ppo_loss(params, obs, actions, old_logp, rewards, dones, old_values, clip=0.2, vf_coef=0.5, ent_coef=0.01):
    adv, returns = gae(rewards, old_values, dones)
    adv = (adv - adv.mean()) / (adv.std() + 1e-8)
    logits, v = actor_critic(params, obs)
    logp_all = log_softmax(logits)
    logp = logp_all[np.arange(len(actions)), actions]
    ratio = np.exp(logp - old_logp)
    pg_loss = -np.mean(np.minimum(ratio * adv, np.clip(ratio, 1 - clip, 1 + clip) * adv))
    v_clipped = old_values[:-1] + np.clip(v - old_values[:-1], -clip, clip)
    vf_loss = 0.5 * np.mean(np.maximum((v - returns) ** 2, (v_clipped - returns) ** 2))
    entropy = -np.mean(np.sum(np.exp(logp_all) * logp_all, axis=-1))
    return pg_loss + vf_coef * vf_loss - ent_coef * entropy


rng = np.random.default_rng(616)
T, obs_dim, n_act, H = 32, 4, 3, 12
obs = rng.standard_normal((T, obs_dim))
actions = rng.integers(0, n_act, T)
rewards = rng.standard_normal(T)
dones = (rng.random(T) < 0.1).astype(float)
old_values = 0.5 * rng.standard_normal(T + 1)
params = {"W": 0.4 * rng.standard_normal((obs_dim, H)), "b": np.zeros(H),
          "W_pi": 0.3 * rng.standard_normal((H, n_act)), "w_v": 0.3 * rng.standard_normal((H, 1))}
old_logp = log_softmax(actor_critic(params, obs)[0])[np.arange(T), actions] + 0.25 * rng.standard_normal(T)

f = ppo_loss
ARGS = (params, obs, actions, old_logp, rewards, dones, old_values)
