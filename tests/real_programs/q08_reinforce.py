"""REINFORCE surrogate for a linear softmax policy on a bandit-like episodic task: actions sampled
with np.random, discounted returns computed backwards, a baseline subtracted, log-softmax."""
import numpy as np

def log_softmax(z):
    z = z - z.max(axis=-1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=-1, keepdims=True))

def discounted_returns(rewards, gamma):
    G = np.zeros_like(rewards)
    running = 0.0
    for t in reversed(range(len(rewards))):
        running = rewards[t] + gamma * running
        G[t] = running
    return G

def reinforce_surrogate(theta, states, reward_table, gamma=0.9):
    T = states.shape[0]
    logits = states @ theta
    logp = log_softmax(logits)
    probs = np.exp(logp)
    u = np.random.rand(T, 1)
    actions = (u > np.cumsum(probs, axis=1)).sum(axis=1)
    actions = np.minimum(actions, theta.shape[1] - 1)
    rewards = reward_table[np.arange(T), actions] + 0.1 * np.random.randn(T)
    G = discounted_returns(rewards, gamma)
    adv = (G - G.mean()) / (G.std() + 1e-8)
    logp_a = logp[np.arange(T), actions]
    return -np.sum(logp_a * adv)

rng = np.random.default_rng(8)
T, S, A = 12, 4, 3
states = rng.standard_normal((T, S))
reward_table = rng.standard_normal((T, A))
f = reinforce_surrogate
SEEDED = True
ARGS = (0.3 * rng.standard_normal((S, A)), states, reward_table)
