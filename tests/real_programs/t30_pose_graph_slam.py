"""2-D pose-graph SLAM: all poses packed in one flat vector and unpacked with np.split, rotation
matrices built from list comprehensions and np.stack, relative-pose residuals computed with
einsum over '...ij,...j->...i', angle residuals wrapped with arctan2, odometry and loop-closure
edges assembled with np.vstack/np.hstack."""
import numpy as np


def rot(theta):
    return np.stack([np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]]) for t in theta])


def unpack(flat, n):
    xs, ys, ths = np.split(flat, 3)
    return np.column_stack([xs, ys]), ths


def pose_graph_cost(flat, edges, meas, info):
    n = len(flat) // 3
    t, th = unpack(flat, n)
    i, j = edges[:, 0], edges[:, 1]
    Ri = rot(th[i])
    d = t[j] - t[i]
    local = np.einsum("...ji,...j->...i", Ri, d)
    dth = th[j] - th[i] - meas[:, 2]
    ang_err = np.arctan2(np.sin(dth), np.cos(dth))
    r = np.hstack([local - meas[:, :2], ang_err[:, None]])
    anchor = np.sum(t[0] ** 2) + th[0] ** 2
    return 0.5 * np.einsum("ei,ij,ej->", r, info, r) + 100.0 * anchor


rng = np.random.default_rng(530)
n = 8
true_th = np.linspace(0, 2 * np.pi * (n - 1) / n, n)
true_t = np.column_stack([2 * np.cos(true_th), 2 * np.sin(true_th)]) - np.array([2.0, 0.0])
odo = np.array([[k, k + 1] for k in range(n - 1)])
loops = np.array([[n - 1, 0], [2, 6]])
edges = np.vstack([odo, loops])
meas = []
for a, b in edges:
    c, s = np.cos(true_th[a]), np.sin(true_th[a])
    R = np.array([[c, -s], [s, c]])
    meas.append(np.hstack([R.T @ (true_t[b] - true_t[a]), true_th[b] - true_th[a]]))
meas = np.array(meas) + 0.02 * rng.standard_normal((len(edges), 3))
info = np.diag([10.0, 10.0, 40.0])
flat = np.concatenate([true_t[:, 0], true_t[:, 1], true_th]) + 0.1 * rng.standard_normal(3 * n)

f = pose_graph_cost
ARGS = (flat, edges, meas, info)
