"""Learning an anisotropic feature scaling for spectral clustering: RBF affinity with the diagonal
zeroed by np.fill_diagonal, symmetric normalised Laplacian, np.linalg.eigh, loss = sum of the k
smallest eigenvalues minus log eigengap plus a Fiedler-vector sharpness term."""
import numpy as np


def normalized_laplacian(X, scale, bandwidth):
    Z = X * scale
    d2 = ((Z[:, None, :] - Z[None, :, :]) ** 2).sum(-1)
    A = np.exp(-d2 / (2 * bandwidth ** 2))
    np.fill_diagonal(A, 0.0)
    deg = A.sum(axis=1)
    Dm = 1.0 / np.sqrt(deg)
    return np.eye(len(X)) - Dm[:, None] * A * Dm[None, :]


def cluster_loss(params, X, k=3):
    Lsym = normalized_laplacian(X, np.exp(params["log_scale"]), params["bandwidth"])
    evals, evecs = np.linalg.eigh(Lsym)
    gap = evals[k] - evals[k - 1]
    fiedler = evecs[:, 1]
    return np.sum(evals[:k]) - np.log(gap) - 0.1 * np.sum(fiedler ** 4)


rng = np.random.default_rng(633)
centers = np.array([[0, 0, 0], [3, 0, 0], [0, 3, 0]], dtype=float)
X = np.vstack([c + rng.standard_normal((10, 3)) * np.array([0.6, 0.6, 3.0]) for c in centers])
params = {"log_scale": np.zeros(3), "bandwidth": 1.5}

f = cluster_loss
ARGS = (params, X)
