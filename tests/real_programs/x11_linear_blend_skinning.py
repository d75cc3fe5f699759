"""Character rig fitting with linear blend skinning: a skeleton is an ordered dict of bone name ->
(parent name or None, rest offset), joint rotations are Euler angles (a dict of per-bone float
triples), forward kinematics walks the bones in order composing 4x4 homogeneous transforms
(helpers for Rx/Ry/Rz and for a translation) into a dict of world transforms, the skinning
matrices are world @ inverse(bind) (np.linalg.inv of the bind pose), skinned vertices are the
weighted sum over bones via np.einsum; the loss compares with scanned marker positions,
differentiated w.r.t. the pose dict."""
import numpy as np

SKELETON = {
    "hips": (None, (0.0, 1.0, 0.0)),
    "spine": ("hips", (0.0, 0.25, 0.0)),
    "chest": ("spine", (0.0, 0.25, 0.0)),
    "l_arm": ("chest", (0.2, 0.15, 0.0)),
    "l_forearm": ("l_arm", (0.3, 0.0, 0.0)),
    "r_arm": ("chest", (-0.2, 0.15, 0.0)),
    "r_forearm": ("r_arm", (-0.3, 0.0, 0.0)),
}
BONES = list(SKELETON)


def rot_x(a):
    c, s = np.cos(a), np.sin(a)
    return np.array([[1, 0, 0, 0], [0, c, -s, 0], [0, s, c, 0], [0, 0, 0, 1.0]])


def rot_y(a):
    c, s = np.cos(a), np.sin(a)
    return np.array([[c, 0, s, 0], [0, 1, 0, 0], [-s, 0, c, 0], [0, 0, 0, 1.0]])


def rot_z(a):
    c, s = np.cos(a), np.sin(a)
    return np.array([[c, -s, 0, 0], [s, c, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1.0]])


def translate(offset):
    T = np.eye(4)
    T[:3, 3] = offset
    return T


def forward_kinematics(pose):
    world = {}
    for name in BONES:
        parent, offset = SKELETON[name]
        ax, ay, az = pose[name]
        local = translate(offset) @ rot_z(az) @ rot_y(ay) @ rot_x(ax)
        world[name] = local if parent is None else world[parent] @ local
    return world


def skin(pose, rest_vertices, weights, bind):
    world = forward_kinematics(pose)
    mats = np.stack([world[b] @ np.linalg.inv(bind[b]) for b in BONES])
    homo = np.concatenate([rest_vertices, np.ones((len(rest_vertices), 1))], axis=1)
    per_bone = np.einsum("bij,vj->bvi", mats, homo)
    return np.einsum("vb,bvi->vi", weights, per_bone)[:, :3]


def marker_loss(pose, rest_vertices, weights, bind, markers):
    return np.mean(np.sum((skin(pose, rest_vertices, weights, bind) - markers) ** 2, axis=1))


rng = np.random.default_rng(1111)
rest_pose = {b: (0.0, 0.0, 0.0) for b in BONES}
bind = forward_kinematics(rest_pose)
heads = np.array([bind[b][:3, 3] for b in BONES])
rest_vertices = np.repeat(heads, 6, axis=0) + 0.05 * rng.standard_normal((6 * len(BONES), 3))
d2 = np.sum((rest_vertices[:, None, :] - heads[None, :, :]) ** 2, axis=-1)
weights = np.exp(-d2 / 0.02)
weights /= weights.sum(axis=1, keepdims=True)
target_pose = {b: tuple(0.3 * rng.standard_normal(3)) for b in BONES}
markers = skin(target_pose, rest_vertices, weights, bind)
f = marker_loss
ARGS = ({b: tuple(float(v) for v in 0.1 * rng.standard_normal(3)) for b in BONES}, rest_vertices, weights, bind, markers)
