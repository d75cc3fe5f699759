"""Mesh fairing: a triangulated height-field patch with noisy vertices is smoothed by minimising
data fidelity plus the uniform graph-Laplacian energy plus total surface area (np.cross); the
edge set is built from the faces with a set comprehension."""
import numpy as np


def grid_mesh(n):
    idx = np.arange(n * n).reshape(n, n)
    faces = []
    for i in range(n - 1):
        for j in range(n - 1):
            faces.append([idx[i, j], idx[i + 1, j], idx[i, j + 1]])
            faces.append([idx[i + 1, j], idx[i + 1, j + 1], idx[i, j + 1]])
    return np.array(faces)


def laplacian(n_vertices, faces):
    edges = {tuple(sorted((int(a), int(b)))) for face in faces for a, b in zip(face, np.roll(face, 1))}
    A = np.zeros((n_vertices, n_vertices))
    for a, b in edges:
        A[a, b] = A[b, a] = 1.0
    return np.diag(A.sum(axis=1)) - A


def surface_area(V, faces):
    e1 = V[faces[:, 1]] - V[faces[:, 0]]
    e2 = V[faces[:, 2]] - V[faces[:, 0]]
    return 0.5 * np.sum(np.linalg.norm(np.cross(e1, e2), axis=1))


def fairing_energy(V, V_noisy, faces, L, lam=0.5, mu=0.1):
    fidelity = np.sum((V - V_noisy) ** 2)
    smooth = np.trace(V.T @ L @ V)
    return fidelity + lam * smooth + mu * surface_area(V, faces)


n = 6
faces = grid_mesh(n)
gx, gy = np.meshgrid(np.linspace(0, 1, n), np.linspace(0, 1, n))
rng = np.random.default_rng(115)
V_clean = np.stack([gx.ravel(), gy.ravel(), 0.3 * np.sin(3 * gx.ravel()) * np.cos(2 * gy.ravel())], axis=1)
V_noisy = V_clean + 0.03 * rng.standard_normal(V_clean.shape)
L = laplacian(n * n, faces)

f = fairing_energy
ARGS = (V_noisy + 0.01 * rng.standard_normal(V_clean.shape), V_noisy, faces, L)
