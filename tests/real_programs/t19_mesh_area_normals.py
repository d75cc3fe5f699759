"""Height-field triangle mesh: face areas and unit normals from np.cross, area-weighted vertex
normals accumulated with np.add.at, a dihedral bending term between faces sharing an edge; the
objective is a membrane (area) plus bending energy plus a vertex-normal matching term."""
import numpy as np


def grid_mesh(n):
    faces = []
    for i in range(n - 1):
        for j in range(n - 1):
            v = i * n + j
            faces.append([v, v + 1, v + n])
            faces.append([v + 1, v + n + 1, v + n])
    return np.array(faces)


def face_pairs(faces):
    edge_to_face = {}
    pairs = []
    for fi, face in enumerate(faces):
        for a, b in ((0, 1), (1, 2), (2, 0)):
            e = tuple(sorted((face[a], face[b])))
            if e in edge_to_face:
                pairs.append((edge_to_face[e], fi))
            else:
                edge_to_face[e] = fi
    return np.array(pairs)


def energy(heights, xy, faces, pairs, target_normals, kb=0.5, kn=2.0):
    V = np.column_stack([xy, heights])
    a, b, c = V[faces[:, 0]], V[faces[:, 1]], V[faces[:, 2]]
    cr = np.cross(b - a, c - a)
    dbl_area = np.linalg.norm(cr, axis=1)
    area = 0.5 * dbl_area
    fn = cr / dbl_area[:, None]
    cos_dihedral = np.sum(fn[pairs[:, 0]] * fn[pairs[:, 1]], axis=1)
    bending = kb * np.sum(1.0 - cos_dihedral)
    vn = np.zeros_like(V)
    for k in range(3):
        np.add.at(vn, faces[:, k], cr)
    vn /= np.linalg.norm(vn, axis=1, keepdims=True)
    normal_term = kn * np.sum((vn - target_normals) ** 2)
    return area.sum() + bending + normal_term


n = 6
gx, gy = np.meshgrid(np.linspace(0, 1, n), np.linspace(0, 1, n))
xy = np.column_stack([gx.ravel(), gy.ravel()])
faces = grid_mesh(n)
pairs = face_pairs(faces)
target_normals = np.tile([0.0, 0.0, 1.0], (n * n, 1))
rng = np.random.default_rng(519)
heights = 0.2 * np.sin(3 * xy[:, 0]) * np.cos(2 * xy[:, 1]) + 0.02 * rng.standard_normal(n * n)

f = energy
ARGS = (heights, xy, faces, pairs, target_normals)
