"""Trajectory optimisation of a 2-d robot through waypoints: smoothness from second differences,
obstacle penalties with np.maximum, speed limits with np.clip, endpoints pinned."""
import numpy as np

OBSTACLES = np.array([[0.5, 0.5], [1.2, 0.8], [0.8, 1.5]])
RADII = np.array([0.3, 0.25, 0.35])

def trajectory_cost(waypoints, start, goal, v_max=0.3, w_smooth=1.0, w_obs=50.0):
    path = np.vstack([start[None, :], waypoints, goal[None, :]])
    vel = np.diff(path, axis=0)
    acc = np.diff(path, n=2, axis=0)
    smooth = np.sum(acc ** 2)
    d = path[:, None, :] - OBSTACLES[None, :, :]
    dist = np.sqrt(np.sum(d ** 2, axis=-1) + 1e-12)
    pen = np.maximum(RADII[None, :] + 0.05 - dist, 0.0)
    obs = np.sum(pen ** 2)
    speed = np.linalg.norm(vel, axis=1)
    over = speed - np.clip(speed, 0.0, v_max)
    return w_smooth * smooth + w_obs * obs + 10.0 * np.sum(over ** 2)

start, goal = np.array([0.0, 0.0]), np.array([2.0, 2.0])
alpha = np.linspace(0, 1, 12)[1:-1, None]
rng = np.random.default_rng(17)
wp = start + alpha * (goal - start) + 0.05 * rng.standard_normal((10, 2))
f = trajectory_cost
ARGS = (wp, start, goal)
EXTRA = ["numba"]
