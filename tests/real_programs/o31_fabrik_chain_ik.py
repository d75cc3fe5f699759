"""FABRIK inverse kinematics for a planar serial chain: alternate backward passes (pin the end
effector on the target, walk back to the base, each joint placed along the line to the next one
at the link length) and forward passes (pin the base, walk out), writing rows of the joint
array in place.  A fixed number of sweeps; the loss -- how far the solved pose is from a preferred
posture plus the residual reach error -- is differentiated w.r.t. link lengths and the target."""
import numpy as np


def place(anchor, toward, length):
    d = toward - anchor
    return anchor + length * d / np.sqrt(np.sum(d ** 2))


def fabrik(lengths, target, joints0, n_sweeps=8):
    p = joints0.copy()
    base = joints0[0].copy()
    n = len(lengths)
    for _ in range(n_sweeps):
        p[n] = target
        for i in reversed(range(n)):
            p[i] = place(p[i + 1], p[i], lengths[i])
        p[0] = base
        for i in range(n):
            p[i + 1] = place(p[i], p[i + 1], lengths[i])
    return p


def ik_loss(lengths, target, joints0, preferred):
    p = fabrik(lengths, target, joints0)
    reach = np.sum((p[-1] - target) ** 2)
    angles = np.arctan2(np.diff(p[:, 1]), np.diff(p[:, 0]))
    return 100.0 * reach + np.sum((angles - preferred) ** 2)


lengths = np.array([1.0, 0.8, 0.6, 0.4])
cum = np.concatenate([[0.0], np.cumsum(lengths)])
joints0 = np.stack([cum * 0.9, 0.3 * np.sin(cum)], axis=1)
f = ik_loss
ARGS = (lengths, np.array([1.6, 1.4]), joints0, np.array([0.6, 0.9, 1.1, 1.3]))
KW = {"wrt": ("lengths", "target")}
