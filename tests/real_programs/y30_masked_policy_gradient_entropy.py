"""Policy gradient for a grid-world with invalid-action masking: a linear-softmax policy over
four moves, with moves into walls masked to probability exactly zero (logits set to -inf), an
entropy bonus computed the usual guarded way (np.where(p > 0, p log p, 0)), and the REINFORCE
surrogate sum_t log pi(a_t|s_t) * G_t with reward-to-go computed by a reversed discounted
cumsum.  Episodes come from a generator function with a seeded Generator; differentiated w.r.t.
the policy weight matrix."""
import numpy as np

SIZE = 4
MOVES = np.array([[-1, 0], [1, 0], [0, -1], [0, 1]])
GOAL = (3, 3)
GAMMA = 0.95


def features(pos):
    r, c = pos
    onehot = np.zeros(SIZE * SIZE)
    onehot[r * SIZE + c] = 1.0
    return np.concatenate([onehot, [r / SIZE, c / SIZE, 1.0]])


def valid_mask(pos):
    nxt = np.array(pos) + MOVES
    return np.all((nxt >= 0) & (nxt < SIZE), axis=1)


def policy(W, pos):
    logits = features(pos) @ W
    logits = np.where(valid_mask(pos), logits, -np.inf)
    z = logits - np.max(logits)
    e = np.exp(z)
    return e / e.sum()


def episodes(n_episodes, seed, max_len=12):
    rng = np.random.default_rng(seed)
    for _ in range(n_episodes):
        pos, traj = (0, 0), []
        for _ in range(max_len):
            valid = np.flatnonzero(valid_mask(pos))
            a = int(valid[rng.integers(len(valid))])            # behaviour: uniform over valid moves
            nxt = tuple(int(v) for v in np.array(pos) + MOVES[a])
            reward = 1.0 if nxt == GOAL else -0.05
            traj.append((pos, a, reward))
            pos = nxt
            if pos == GOAL:
                break
        yield traj


def discounted_returns(rewards, gamma=GAMMA):
    rewards = np.asarray(rewards)
    disc = gamma ** np.arange(len(rewards))
    return np.cumsum((rewards * disc)[::-1])[::-1] / disc


def surrogate(W, n_episodes=4, seed=3, ent_coef=0.01):
    total = 0.0
    for traj in episodes(n_episodes, seed):
        G = discounted_returns([r for _, _, r in traj])
        for (pos, a, _), g in zip(traj, G):
            p = policy(W, pos)
            ent = -np.sum(np.where(p > 0, p * np.log(p), 0.0))
            total -= np.log(p[a]) * g + ent_coef * ent
    return total / n_episodes


rng = np.random.default_rng(30)
f = surrogate
ARGS = (0.1 * rng.standard_normal((SIZE * SIZE + 3, 4)),)
