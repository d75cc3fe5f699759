"""Parallel-beam CT of an 8x8 phantom: the system matrix is built by sampling points along each
ray (nearest-pixel weights, a constant), the reconstruction by SIRT -- row and column sums of the
system matrix as preconditioners -- with a non-negativity clip each sweep.  The loss compares the
reconstruction with the phantom and is differentiated w.r.t. the measured sinogram and the
relaxation factor (how the reconstruction error depends on the data and the step)."""
import numpy as np


def system_matrix(n, angles, n_det, n_samples=40):
    rows = []
    s = np.linspace(-0.7, 0.7, n_samples)
    for th in angles:
        d = np.array([np.cos(th), np.sin(th)])
        perp = np.array([-np.sin(th), np.cos(th)])
        for off in np.linspace(-0.45, 0.45, n_det):
            pts = off * perp + s[:, None] * d + 0.5
            ij = np.floor(pts * n).astype(int)
            inside = np.all((ij >= 0) & (ij < n), axis=1)
            row = np.zeros(n * n)
            np.add.at(row, ij[inside, 0] * n + ij[inside, 1], 1.4 / n_samples)
            rows.append(row)
    return np.array(rows)


def sirt(A, sino, relax, n_iter=25):
    row_sum = A.sum(axis=1)
    col_sum = A.sum(axis=0)
    R = np.where(row_sum > 0, 1.0 / np.maximum(row_sum, 1e-12), 0.0)
    Cinv = np.where(col_sum > 0, 1.0 / np.maximum(col_sum, 1e-12), 0.0)
    x = np.zeros(A.shape[1])
    for _ in range(n_iter):
        x = x + relax * Cinv * (A.T @ (R * (sino - A @ x)))
        x = np.clip(x, 0.0, None)
    return x


def recon_error(sino, relax, A, phantom):
    x = sirt(A, sino, relax)
    return np.sum((x - phantom.ravel()) ** 2)


n = 8
phantom = np.zeros((n, n))
phantom[2:6, 2:6] = 1.0
phantom[3:5, 4:6] = 2.0
phantom[1, 1] = 0.5
A = system_matrix(n, np.linspace(0, np.pi, 10, endpoint=False), 11)
rng = np.random.default_rng(21)
sino = A @ phantom.ravel() + 0.02 * rng.standard_normal(A.shape[0])
f = recon_error
ARGS = (sino, 1.3, A, phantom)
KW = {"wrt": ("sino", "relax")}
