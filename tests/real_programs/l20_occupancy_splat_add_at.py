"""Scan matching against an occupancy grid: lidar points moved by a 2-D pose (theta, tx, ty),
bilinearly splatted into a grid with np.add.at at the four neighbouring cells, and a hit count per
row from np.bincount(weights=); loss compares the soft grid with a reference map."""
import numpy as np


def splat(pts, shape, res):
    u = pts[:, 0] / res
    v = pts[:, 1] / res
    i0 = np.floor(u).astype(int)
    j0 = np.floor(v).astype(int)
    fu, fv = u - i0, v - j0
    G = np.zeros(shape)
    np.add.at(G, (i0, j0), (1 - fu) * (1 - fv))
    np.add.at(G, (i0 + 1, j0), fu * (1 - fv))
    np.add.at(G, (i0, j0 + 1), (1 - fu) * fv)
    np.add.at(G, (i0 + 1, j0 + 1), fu * fv)
    return G, i0, fu


def match_loss(pose, scan, ref, res=0.5):
    th, tx, ty = pose
    Rm = np.array([[np.cos(th), -np.sin(th)], [np.sin(th), np.cos(th)]])
    pts = scan @ Rm.T + np.array([tx, ty])
    G, rows, fu = splat(pts, ref.shape, res)
    row_mass = np.bincount(rows, weights=1 - fu, minlength=ref.shape[0])
    return np.sum((G - ref) ** 2) + 0.01 * np.sum(row_mass ** 2) / len(scan)


rng = np.random.default_rng(120)
ang = np.linspace(0, 2 * np.pi, 36, endpoint=False)
scan = np.column_stack([2.0 * np.cos(ang), 1.5 * np.sin(ang)]) + 0.03 * rng.standard_normal((36, 2))
true_pose = np.array([0.15, 4.1, 3.9])
Rt = np.array([[np.cos(0.15), -np.sin(0.15)], [np.sin(0.15), np.cos(0.15)]])
ref, _, _ = splat(scan @ Rt.T + true_pose[1:], (18, 18), 0.5)
pose = np.array([0.12, 4.03, 3.95])

f = match_loss
ARGS = (pose, scan, ref)
KINKED = "bilinear splatting: the cell of each point changes at grid lines"
