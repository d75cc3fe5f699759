"""Computational psychiatry: a two-armed bandit task fitted with a Rescorla-Wagner / Q-learning
model with separate learning rates for positive and negative prediction errors, a softmax inverse
temperature and a perseveration bonus for repeating the last choice.  Trials are processed one by
one; the Q-value of the chosen option is updated in place (Q[c] += ...), the choice
log-likelihood uses a numerically stable log-softmax.  Parameters are unconstrained in a dict
(sigmoid / exp transforms).  Differentiated w.r.t. the parameter dict, summed over subjects."""
import numpy as np


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def subject_nll(theta, choices, rewards):
    alpha_pos = sigmoid(theta["a_pos"])
    alpha_neg = sigmoid(theta["a_neg"])
    beta = np.exp(theta["log_beta"])
    kappa = theta["kappa"]
    Q = np.array([0.5, 0.5])
    prev = -1
    nll = 0.0
    for c, r in zip(choices, rewards):
        bonus = np.zeros(2)
        if prev >= 0:
            bonus[prev] = kappa
        logits = beta * Q + bonus
        m = logits.max()
        logp = logits - (m + np.log(np.sum(np.exp(logits - m))))
        nll -= logp[c]
        delta = r - Q[c]
        lr = alpha_pos if delta > 0 else alpha_neg
        Q[c] += lr * delta
        prev = c
    return nll


def group_nll(theta, data):
    return sum(subject_nll(theta, d["choices"], d["rewards"]) for d in data) / len(data)


rng = np.random.default_rng(9)
data = []
for s in range(3):
    p_reward = np.array([0.7, 0.3])
    Q = np.full(2, 0.5)
    ch, rw = [], []
    for t in range(40):
        if t == 20:
            p_reward = p_reward[::-1]
        pr = np.exp(4 * Q) / np.exp(4 * Q).sum()
        c = int(rng.random() < pr[1])
        r = float(rng.random() < p_reward[c])
        Q[c] += 0.3 * (r - Q[c])
        ch.append(c)
        rw.append(r)
    data.append({"choices": np.array(ch), "rewards": np.array(rw)})
theta0 = {"a_pos": 0.0, "a_neg": -0.5, "log_beta": np.log(3.0), "kappa": 0.2}
f = group_nll
ARGS = (theta0, data)
