"""Social-force pedestrian model (Helbing): each walker relaxes toward a desired velocity to its
goal and is repelled by others with an exponential force along pairwise unit vectors
(np.linalg.norm along the last axis, self-pairs masked with np.eye); Euler steps, fitted to
observed trajectories on (tau, A, B, v0) in a dict."""
import numpy as np


def step(pos, vel, goals, p, dt):
    to_goal = goals - pos
    e = to_goal / np.linalg.norm(to_goal, axis=1, keepdims=True)
    f_drive = (p["v0"] * e - vel) / p["tau"]
    diff = pos[:, None, :] - pos[None, :, :]
    dist = np.linalg.norm(diff + np.eye(len(pos))[..., None], axis=-1)
    n_ij = diff / dist[..., None]
    mag = p["A"] * np.exp((0.6 - dist) / p["B"])
    mag = mag * (1.0 - np.eye(len(pos)))
    f_rep = np.sum(mag[..., None] * n_ij, axis=1)
    vel = vel + dt * (f_drive + f_rep)
    speed = np.linalg.norm(vel, axis=1, keepdims=True)
    vel = np.where(speed > 1.3 * p["v0"], vel / speed * 1.3 * p["v0"], vel)
    return pos + dt * vel, vel


def trajectory_loss(p, pos0, vel0, goals, observed, dt=0.1):
    pos, vel = pos0, vel0
    err = 0.0
    for k in range(observed.shape[0]):
        pos, vel = step(pos, vel, goals, p, dt)
        err += np.sum((pos - observed[k]) ** 2)
    return err / observed.shape[0]


rng = np.random.default_rng(539)
n = 6
pos0 = np.column_stack([rng.uniform(0, 1, n), rng.uniform(0, 3, n)])
pos0[n // 2:, 0] += 5.0
goals = pos0.copy()
goals[:, 0] = np.where(pos0[:, 0] < 3, 7.0, -1.0)
vel0 = np.zeros((n, 2))
true = {"tau": 0.5, "A": 2.0, "B": 0.3, "v0": 1.3}
pos, vel = pos0, vel0
obs = []
for _ in range(20):
    pos, vel = step(pos, vel, goals, true, 0.1)
    obs.append(pos)
observed = np.array(obs) + 0.01 * rng.standard_normal((20, n, 2))

f = trajectory_loss
ARGS = ({"tau": 0.6, "A": 1.7, "B": 0.35, "v0": 1.2}, pos0, vel0, goals, observed)
