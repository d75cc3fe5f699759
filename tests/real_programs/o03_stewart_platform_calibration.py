"""Kinematic calibration of a Stewart-Gough hexapod: for each commanded pose (position and
roll/pitch/yaw), the six leg lengths are |p + R b_i - a_i| with base anchors a and platform
anchors b.  The measured leg lengths of several poses are fitted w.r.t. corrections of the anchor
positions (a dict of two 6x3 arrays) and the leg zero offsets; rotations by a helper that returns
the three elementary matrices, composed with einsum."""
import numpy as np


def elementary(roll, pitch, yaw):
    cr, sr, cp, sp, cy, sy = np.cos(roll), np.sin(roll), np.cos(pitch), np.sin(pitch), np.cos(yaw), np.sin(yaw)
    Rx = np.array([[1.0, 0.0, 0.0], [0.0, cr, -sr], [0.0, sr, cr]])
    Ry = np.array([[cp, 0.0, sp], [0.0, 1.0, 0.0], [-sp, 0.0, cp]])
    Rz = np.array([[cy, -sy, 0.0], [sy, cy, 0.0], [0.0, 0.0, 1.0]])
    return Rz, Ry, Rx


def leg_lengths(anchors, pose):
    Rz, Ry, Rx = elementary(*pose[3:])
    R = np.einsum("ij,jk,kl->il", Rz, Ry, Rx)
    plat_world = np.einsum("ij,kj->ki", R, anchors["plat"]) + pose[:3]
    legs = plat_world - anchors["base"]
    return np.linalg.norm(legs, axis=1)


def hexagon(radius, offset_deg):
    ang = np.deg2rad(np.array([0, 120, 240]) + offset_deg)
    ang = np.sort(np.concatenate([ang - np.deg2rad(12), ang + np.deg2rad(12)]))
    return np.stack([radius * np.cos(ang), radius * np.sin(ang), np.zeros(6)], axis=1)


def calib_loss(corr, offsets, poses, measured, nominal):
    anchors = {"base": nominal["base"] + corr["base"], "plat": nominal["plat"] + corr["plat"]}
    total = 0.0
    for k, pose in enumerate(poses):
        pred = leg_lengths(anchors, pose) + offsets
        r = pred - measured[k]
        total += np.sum(r ** 2)
    reg = sum(np.sum(v ** 2) for v in corr.values())
    return total / len(poses) + 1e-3 * reg


rng = np.random.default_rng(3)
nominal = {"base": hexagon(1.0, 0.0), "plat": hexagon(0.5, 60.0)}
true_corr = {k: 0.01 * rng.standard_normal((6, 3)) for k in nominal}
true_off = 0.02 * rng.standard_normal(6)
poses = [np.concatenate([[0.05 * rng.standard_normal(), 0.05 * rng.standard_normal(), 0.8 + 0.05 * rng.standard_normal()],
                         0.1 * rng.standard_normal(3)]) for _ in range(8)]
true_anchors = {k: nominal[k] + true_corr[k] for k in nominal}
measured = np.stack([leg_lengths(true_anchors, p) + true_off + 1e-4 * rng.standard_normal(6) for p in poses])
f = calib_loss
ARGS = ({"base": np.zeros((6, 3)) + 0.001, "plat": np.zeros((6, 3)) - 0.001}, np.zeros(6), poses, measured, nominal)
KW = {"wrt": ("corr", "offsets")}
