"""Hand-eye calibration AX = XB for a robot-mounted camera: the unknown transform X is parametrised by
a rotation vector and a translation; a helper implements the SO(3) exponential map (Rodrigues with
np.cross-based skew matrix), poses are 4x4 homogeneous matrices built by a small function, and the
residual over a list of (A_i, B_i) motion pairs is the Frobenius norm of A X - X B with the rotation
part weighted.  Differentiated w.r.t. the tuple (rotvec, translation)."""
import numpy as np


def skew(v):
    return np.array([[0.0, -v[2], v[1]], [v[2], 0.0, -v[0]], [-v[1], v[0], 0.0]])


def so3_exp(w):
    theta = np.linalg.norm(w)
    if theta < 1e-9:
        return np.eye(3) + skew(w)
    K = skew(w / theta)
    return np.eye(3) + np.sin(theta) * K + (1 - np.cos(theta)) * K @ K


def homogeneous(R, t):
    T = np.eye(4)
    T[:3, :3] = R
    T[:3, 3] = t
    return T


def hand_eye_residual(X_params, motions, rot_weight=10.0):
    rotvec, trans = X_params
    X = homogeneous(so3_exp(rotvec), trans)
    total = 0.0
    for A, B in motions:
        D = A @ X - X @ B
        total += rot_weight * np.sum(D[:3, :3] ** 2) + np.sum(D[:3, 3] ** 2)
    return total / len(motions)


rng = np.random.default_rng(24)
X_true = homogeneous(so3_exp(np.array([0.1, -0.3, 0.2])), np.array([0.05, 0.02, 0.1]))
motions = []
for _ in range(6):
    B = homogeneous(so3_exp(rng.normal(0, 0.6, 3)), rng.normal(0, 0.2, 3))
    A = X_true @ B @ np.linalg.inv(X_true)
    A[:3, 3] += 0.002 * rng.standard_normal(3)
    motions.append((A, B))
f = hand_eye_residual
ARGS = ((np.array([0.05, -0.2, 0.25]), np.array([0.0, 0.0, 0.05])), motions)
