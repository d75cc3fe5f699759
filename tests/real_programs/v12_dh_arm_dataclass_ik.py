"""Inverse kinematics of a 4-joint arm described by Denavit-Hartenberg parameters in a dataclass,
the arm a module-level list of links; 4x4 homogeneous transforms built with np.array of scalars and
chained with @, joint origins collected in a list, a table-clearance penalty written with builtin
max() in a generator expression, and joint-limit penalties."""
from dataclasses import dataclass

import numpy as np


@dataclass
class DHLink:
    a: float
    alpha: float
    d: float


ARM = [
    DHLink(0.0, np.pi / 2, 0.30),
    DHLink(0.40, 0.0, 0.0),
    DHLink(0.35, 0.0, 0.0),
    DHLink(0.0, np.pi / 2, 0.10),
]


def dh_transform(theta, link):
    ct, st = np.cos(theta), np.sin(theta)
    ca, sa = np.cos(link.alpha), np.sin(link.alpha)
    return np.array([
        [ct, -st * ca, st * sa, link.a * ct],
        [st, ct * ca, -ct * sa, link.a * st],
        [0.0, sa, ca, link.d],
        [0.0, 0.0, 0.0, 1.0],
    ])


def forward_kinematics(q):
    T = np.eye(4)
    origins = []
    for qi, link in zip(q, ARM):
        T = T @ dh_transform(qi, link)
        origins.append(T[:3, 3])
    return T, origins


def ik_loss(q, target_pos, target_approach, q_min, q_max, clearance=0.05):
    T, origins = forward_kinematics(q)
    pos_err = np.sum((T[:3, 3] - target_pos) ** 2)
    approach_err = 1.0 - T[:3, 2] @ target_approach
    limits = np.sum(np.maximum(q - q_max, 0.0) ** 2 + np.maximum(q_min - q, 0.0) ** 2)
    table = sum(max(clearance - o[2], 0.0) ** 2 for o in origins)
    return pos_err + 0.1 * approach_err + 10.0 * limits + 100.0 * table


q_min = np.array([-np.pi, -0.2, -2.5, -2.0])
q_max = np.array([np.pi, 2.0, 2.5, 2.0])
f = ik_loss
ARGS = (np.array([0.3, 0.1, -1.3, 0.4]), np.array([0.45, 0.15, 0.02]),
        np.array([0.0, 0.0, -1.0]), q_min, q_max)
