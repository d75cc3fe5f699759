"""TD3's critic loss (Fujimoto et al. 2018): twin Q networks and their targets as dicts of MLPs,
each MLP a list of (W, b) tuples unpacked with `*hidden, last = layers`; target policy smoothing
(clipped noise added to the target actor's tanh action, then clipped to the action bounds), clipped
double-Q target with np.minimum, MSE for both critics; differentiated w.r.t. the critic."""
import numpy as np


def mlp(layers, x):
    *hidden, last = layers
    for W, b in hidden:
        x = np.maximum(x @ W + b, 0.0)
    W, b = last
    return x @ W + b


def td3_critic_loss(critic, target_critic, target_actor, batch, gamma=0.99,
                    policy_noise=0.2, noise_clip=0.5, max_action=1.0):
    s, a, r, s2, done, noise = (batch[k] for k in ("s", "a", "r", "s2", "done", "noise"))
    eps = np.clip(policy_noise * noise, -noise_clip, noise_clip)
    a2 = np.clip(max_action * np.tanh(mlp(target_actor, s2)) + eps, -max_action, max_action)
    sa2 = np.concatenate([s2, a2], axis=1)
    target_q = np.minimum(mlp(target_critic["q1"], sa2), mlp(target_critic["q2"], sa2))[:, 0]
    y = r + gamma * (1.0 - done) * target_q
    sa = np.concatenate([s, a], axis=1)
    q1 = mlp(critic["q1"], sa)[:, 0]
    q2 = mlp(critic["q2"], sa)[:, 0]
    return np.mean((q1 - y) ** 2) + np.mean((q2 - y) ** 2)


def init_mlp(rng, sizes):
    return [(rng.standard_normal((i, o)) / np.sqrt(i), 0.01 * rng.standard_normal(o)) for i, o in zip(sizes[:-1], sizes[1:])]


rng = np.random.default_rng(719)
S, A, B = 3, 2, 16
critic = {"q1": init_mlp(rng, [S + A, 16, 16, 1]), "q2": init_mlp(rng, [S + A, 16, 16, 1])}
target_critic = {k: [(W + 0.01, b) for W, b in v] for k, v in critic.items()}
target_actor = init_mlp(rng, [S, 16, A])
batch = {"s": rng.standard_normal((B, S)), "a": rng.uniform(-1, 1, (B, A)), "r": rng.standard_normal(B),
         "s2": rng.standard_normal((B, S)), "done": (rng.random(B) < 0.1).astype(float),
         "noise": rng.standard_normal((B, A))}
f = td3_critic_loss
ARGS = (critic, target_critic, target_actor, batch)
