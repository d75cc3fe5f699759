"""Trajectory optimisation for a differential-drive (unicycle) robot: controls (v, omega) per step,
heading and position by cumulative sums, tracking a reference path interpolated from waypoints,
with softplus obstacle penalties and a control-smoothness term."""
import numpy as np

DT = 0.1
T = 40
OBSTACLES = [((1.5, 0.8), 0.3), ((3.0, 1.6), 0.4)]
W_TRACK, W_EFFORT, W_SMOOTH, W_OBS = 1.0, 0.01, 0.1, 5.0


def rollout(u, x0, dt=DT):
    v, w = u[:, 0], u[:, 1]
    theta = x0[2] + np.cumsum(w) * dt
    x = x0[0] + np.cumsum(v * np.cos(theta)) * dt
    y = x0[1] + np.cumsum(v * np.sin(theta)) * dt
    return np.stack([x, y, theta], axis=1)


def softplus(z):
    return np.logaddexp(0.0, z)


def cost(u, x0, ref):
    traj = rollout(u, x0)
    track = np.sum((traj[:, :2] - ref) ** 2)
    effort = np.sum(u ** 2)
    smooth = np.sum(np.diff(u, axis=0) ** 2)
    obs = 0.0
    for (cx, cy), radius in OBSTACLES:
        dist = np.sqrt((traj[:, 0] - cx) ** 2 + (traj[:, 1] - cy) ** 2)
        obs = obs + np.sum(softplus(10.0 * (radius + 0.1 - dist)))
    return W_TRACK * track + W_EFFORT * effort + W_SMOOTH * smooth + W_OBS * obs


waypoints_t = np.array([0.0, 1.0, 2.5, 4.0])
waypoints = np.array([[0.0, 0.0], [1.2, 0.5], [2.6, 1.2], [4.0, 2.0]])
t_grid = DT * np.arange(1, T + 1)
ref = np.stack([np.interp(t_grid, waypoints_t, waypoints[:, i]) for i in range(2)], axis=1)
rng = np.random.default_rng(109)
u0 = np.column_stack([np.full(T, 1.0), 0.1 * rng.standard_normal(T)])

f = cost
ARGS = (u0, np.array([0.0, 0.0, 0.3]), ref)
