"""Rigid-body attitude: integrate a quaternion under a body angular velocity (q <- q + dt/2 q*w,
renormalised), rotate a set of body points, fit the final points to observations."""
import numpy as np

def qmul(p, q):
    pw, px, py, pz = p
    qw, qx, qy, qz = q
    return np.array([
        pw * qw - px * qx - py * qy - pz * qz,
        pw * qx + px * qw + py * qz - pz * qy,
        pw * qy - px * qz + py * qw + pz * qx,
        pw * qz + px * qy - py * qx + pz * qw,
    ])

def rotmat(q):
    w, x, y, z = q / np.linalg.norm(q)
    return np.array([
        [1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)],
        [2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)],
        [2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)],
    ])

def attitude_loss(q0, omega, body_pts, observed, dt=0.05, n_steps=10):
    q = q0 / np.linalg.norm(q0)
    for _ in range(n_steps):
        w = np.array([0.0, omega[0], omega[1], omega[2]])
        q = q + 0.5 * dt * qmul(q, w)
        q = q / np.linalg.norm(q)
    R = rotmat(q)
    pts = body_pts @ R.T
    return np.sum((pts - observed) ** 2)

rng = np.random.default_rng(16)
body = rng.standard_normal((6, 3))
f = attitude_loss
KW = dict(wrt=("q0", "omega"))
ARGS = (np.array([0.9, 0.1, -0.2, 0.3]), np.array([0.5, -1.0, 0.8]), body, rng.standard_normal((6, 3)))
