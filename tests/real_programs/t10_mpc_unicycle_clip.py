"""Model-predictive control of a unicycle: a horizon of (speed, turn-rate) commands is clipped to
actuator limits, rolled out with Euler steps, and scored on tracking a reference path, control
effort and smoothness.  The warm start is built with np.arctanh from a previous solution."""
import numpy as np


def rollout(U, x0, dt=0.1, v_max=1.0, w_max=0.8):
    U = np.clip(U, [-v_max, -w_max], [v_max, w_max])
    x, y, th = x0
    traj = []
    for v, w in U:
        x = x + dt * v * np.cos(th)
        y = y + dt * v * np.sin(th)
        th = th + dt * w
        traj.append([x, y, th])
    return np.array(traj), U


def mpc_cost(U, x0, ref, q_pos=10.0, r=0.1, s=1.0):
    traj, Uc = rollout(U, x0)
    track = q_pos * np.sum((traj[:, :2] - ref) ** 2)
    effort = r * np.sum(Uc ** 2)
    smooth = s * np.sum(np.diff(Uc, axis=0) ** 2)
    terminal = 5.0 * (traj[-1, 2] - np.arctan2(ref[-1, 1] - ref[-2, 1], ref[-1, 0] - ref[-2, 0])) ** 2
    return track + effort + smooth + terminal


T = 20
tt = np.arange(1, T + 1) * 0.1
ref = np.stack([0.9 * tt, 0.3 * np.sin(1.5 * tt)], axis=1)
rng = np.random.default_rng(510)
prev = np.clip(np.column_stack([0.9 + 0.1 * rng.standard_normal(T), 0.5 * rng.standard_normal(T)]), -0.95, 0.95)
U0 = np.column_stack([np.arctanh(prev[:, 0] / 1.0), np.arctanh(prev[:, 1] / 1.0)]) * 0.8
x0 = np.array([0.0, 0.0, 0.1])

f = mpc_cost
ARGS = (U0, x0, ref)
