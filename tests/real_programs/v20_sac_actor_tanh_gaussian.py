"""Soft actor-critic's actor loss with a tanh-squashed Gaussian policy (SpinningUp's form): log-std
squashed into [LOG_STD_MIN, LOG_STD_MAX] with tanh, reparameterised actions, the change-of-variables
correction 2(log 2 - u - softplus(-2u)) subtracted with `-=`, and a fixed quadratic critic read from
a tuple; differentiated w.r.t. the actor's dict."""
import numpy as np

LOG_STD_MIN, LOG_STD_MAX = -5.0, 2.0


def actor_forward(p, s):
    h = np.tanh(s @ p["W1"] + p["b1"])
    mu = h @ p["W_mu"] + p["b_mu"]
    log_std = np.tanh(h @ p["W_ls"] + p["b_ls"])
    log_std = LOG_STD_MIN + 0.5 * (LOG_STD_MAX - LOG_STD_MIN) * (log_std + 1)
    return mu, log_std


def critic(s, a, critic_params):
    A, K = critic_params
    goal = np.tanh(s @ K)
    return -np.sum(((a - goal) @ A) ** 2, axis=1)


def sac_actor_loss(actor, states, eps, critic_params, alpha=0.2):
    mu, log_std = actor_forward(actor, states)
    std = np.exp(log_std)
    u = mu + std * eps
    a = np.tanh(u)
    log_prob = np.sum(-0.5 * eps ** 2 - log_std - 0.5 * np.log(2 * np.pi), axis=1)
    log_prob -= np.sum(2 * (np.log(2) - u - np.logaddexp(0, -2 * u)), axis=1)
    q = critic(states, a, critic_params)
    return np.mean(alpha * log_prob - q)


rng = np.random.default_rng(720)
S, A, H, B = 4, 2, 16, 32
actor = {"W1": rng.standard_normal((S, H)) / 2, "b1": np.zeros(H),
         "W_mu": rng.standard_normal((H, A)) / 4, "b_mu": np.zeros(A),
         "W_ls": rng.standard_normal((H, A)) / 4, "b_ls": np.full(A, -0.5)}
critic_params = (np.array([[1.0, 0.3], [0.0, 0.8]]), rng.standard_normal((S, A)))
f = sac_actor_loss
ARGS = (actor, rng.standard_normal((B, S)), rng.standard_normal((B, A)), critic_params)
