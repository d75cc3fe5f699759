"""Inverse kinematics of a 4-joint spatial arm: each joint a 4x4 homogeneous transform (Rodrigues
rotation written with np.cross, block assignment into np.eye(4)), forward kinematics by
functools.reduce(np.matmul, ...), loss = tool position + approach-axis error + joint-limit penalty."""
from functools import reduce

import numpy as np


def rodrigues(axis, angle):
    k = axis / np.linalg.norm(axis)
    I = np.eye(3)
    K = np.stack([np.cross(k, e) for e in I], axis=1)
    return I + np.sin(angle) * K + (1 - np.cos(angle)) * K @ K


def joint_transform(axis, angle, offset):
    T = np.eye(4)
    T[:3, :3] = rodrigues(axis, angle)
    T[:3, 3] = offset
    return T


def ik_loss(q, axes, offsets, target_pos, target_dir, limits=2.0):
    transforms = [joint_transform(a, qi, o) for a, qi, o in zip(axes, q, offsets)]
    T = reduce(np.matmul, transforms, np.eye(4))
    tool = T @ np.array([0.0, 0.0, 0.1, 1.0])
    pos_err = np.sum((tool[:3] - target_pos) ** 2)
    dir_err = 1.0 - T[:3, 2] @ target_dir
    limit_pen = np.sum(np.maximum(np.abs(q) - limits, 0.0) ** 2)
    return pos_err + 0.1 * dir_err + limit_pen


axes = [np.array([0.0, 0.0, 1.0]), np.array([0.0, 1.0, 0.0]), np.array([0.0, 1.0, 0.0]), np.array([1.0, 0.0, 0.2])]
offsets = [np.array([0.0, 0.0, 0.3]), np.array([0.0, 0.0, 0.4]), np.array([0.35, 0.0, 0.0]), np.array([0.2, 0.0, 0.0])]
target_pos = np.array([0.4, 0.3, 0.5])
target_dir = np.array([0.0, 0.6, 0.8])
q = np.array([0.5, -0.3, 2.3, 0.4])

f = ik_loss
ARGS = (q, axes, offsets, target_pos, target_dir)
