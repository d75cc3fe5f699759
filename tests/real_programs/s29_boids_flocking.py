"""Boids flocking (Reynolds): pairwise offsets by broadcasting, softened distances, separation,
alignment and cohesion forces weighted by smooth neighbourhood kernels, speed limited smoothly,
semi-implicit Euler; the loss asks the flock to reach a target centroid with a target spread,
differentiated w.r.t. the three behaviour weights."""
import numpy as np


def flock_forces(pos, vel, w, radius=1.5, soft=0.05):
    diff = pos[None, :, :] - pos[:, None, :]            # j - i
    dist2 = np.sum(diff ** 2, axis=-1) + soft ** 2
    kernel = np.exp(-dist2 / radius ** 2)
    np.fill_diagonal(kernel, 0.0)
    norm = kernel.sum(axis=1, keepdims=True) + 1e-9
    cohesion = (kernel @ pos) / norm - pos
    alignment = (kernel @ vel) / norm - vel
    separation = -np.sum(kernel[:, :, None] * diff / dist2[:, :, None], axis=1)
    return w["cohesion"] * cohesion + w["alignment"] * alignment + w["separation"] * separation


def limit_speed(vel, vmax=2.0):
    speed = np.sqrt(np.sum(vel ** 2, axis=1, keepdims=True) + 1e-12)
    return vel * np.tanh(speed / vmax) * vmax / speed


def flock_loss(w, pos0, vel0, goal, spread_target=1.0, steps=25, dt=0.1):
    pos, vel = pos0, vel0
    for _ in range(steps):
        vel = limit_speed(vel + dt * (flock_forces(pos, vel, w) + 0.3 * (goal - pos)))
        pos = pos + dt * vel
    centroid = pos.mean(axis=0)
    spread = np.sqrt(np.mean(np.sum((pos - centroid) ** 2, axis=1)))
    return np.sum((centroid - goal) ** 2) + (spread - spread_target) ** 2


rng = np.random.default_rng(29)
pos0 = rng.standard_normal((12, 2)) * 1.5
vel0 = 0.3 * rng.standard_normal((12, 2))
w = {"cohesion": 0.5, "alignment": 0.3, "separation": 0.2}
f = flock_loss
ARGS = (w, pos0, vel0, np.array([3.0, 1.0]))
