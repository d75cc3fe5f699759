"""Camera calibration from a planar checkerboard: Rodrigues rotation from an axis-angle vector,
pinhole projection with two-coefficient radial distortion; intrinsics in a dict and extrinsics as
an (rvec, tvec) tuple are both differentiated."""
import numpy as np


def skew(k):
    return np.array([[0.0, -k[2], k[1]], [k[2], 0.0, -k[0]], [-k[1], k[0], 0.0]])


def rodrigues(rvec):
    theta = np.linalg.norm(rvec)
    if theta < 1e-8:
        return np.eye(3) + skew(rvec)
    K = skew(rvec / theta)
    return np.eye(3) + np.sin(theta) * K + (1 - np.cos(theta)) * K @ K


def project(intr, pose, pts):
    rvec, tvec = pose
    Xc = pts @ rodrigues(rvec).T + tvec
    x, y = Xc[:, 0] / Xc[:, 2], Xc[:, 1] / Xc[:, 2]
    r2 = x ** 2 + y ** 2
    radial = 1 + intr["k1"] * r2 + intr["k2"] * r2 ** 2
    u = intr["fx"] * x * radial + intr["cx"]
    v = intr["fy"] * y * radial + intr["cy"]
    return np.column_stack([u, v])


def reprojection_error(intr, pose, pts, observed):
    return np.mean(np.sum((project(intr, pose, pts) - observed) ** 2, axis=1))


gx, gy = np.meshgrid(np.arange(6) * 0.03, np.arange(5) * 0.03)
board = np.column_stack([gx.ravel(), gy.ravel(), np.zeros(gx.size)])
true_intr = {"fx": 800.0, "fy": 790.0, "cx": 320.0, "cy": 240.0, "k1": -0.2, "k2": 0.05}
true_pose = (np.array([0.1, -0.2, 0.05]), np.array([-0.08, -0.05, 0.5]))
rng = np.random.default_rng(135)
observed = project(true_intr, true_pose, board) + 0.3 * rng.standard_normal((30, 2))
intr = {"fx": 780.0, "fy": 780.0, "cx": 315.0, "cy": 245.0, "k1": -0.1, "k2": 0.0}
pose = (np.array([0.12, -0.18, 0.0]), np.array([-0.07, -0.05, 0.52]))

f = reprojection_error
KW = dict(wrt=(0, 1))
ARGS = (intr, pose, board, observed)
