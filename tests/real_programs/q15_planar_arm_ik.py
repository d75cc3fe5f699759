"""Inverse kinematics of a planar arm: joint angles in a list, link lengths in a tuple, forward
kinematics accumulating angles, a soft joint-limit penalty and a small-motion regulariser."""
import numpy as np

LINKS = (1.0, 0.8, 0.5, 0.3)

def forward_kinematics(angles, links=LINKS):
    x, y, phi = 0.0, 0.0, 0.0
    joints = [(x, y)]
    for theta, L in zip(angles, links):
        phi = phi + theta
        x = x + L * np.cos(phi)
        y = y + L * np.sin(phi)
        joints.append((x, y))
    return joints

def ik_loss(angles, target, rest=(0.0, 0.0, 0.0, 0.0), limit=2.0):
    joints = forward_kinematics(angles)
    ex, ey = joints[-1]
    err = (ex - target[0]) ** 2 + (ey - target[1]) ** 2
    penalty = 0.0
    for theta, th0 in zip(angles, rest):
        penalty += max(abs(theta) - limit, 0.0) ** 2 + 1e-2 * (theta - th0) ** 2
    return err + penalty

f = ik_loss
ARGS = ([0.3, 2.2, -0.4, -2.3], np.array([1.2, 1.1]))
