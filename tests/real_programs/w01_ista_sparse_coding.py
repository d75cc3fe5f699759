"""Dictionary learning by unrolled ISTA: sparse codes for a batch of signals are found with a fixed
number of iterative shrinkage steps (soft threshold written with np.sign and np.maximum), the step
size from the dictionary's largest singular value (np.linalg.norm(D, 2)), then the reconstruction
error plus an L1 penalty on the codes; differentiated w.r.t. the dictionary."""
import numpy as np


def soft_threshold(z, t):
    return np.sign(z) * np.maximum(np.abs(z) - t, 0.0)


def normalise_columns(D):
    return D / np.linalg.norm(D, axis=0, keepdims=True)


def ista(D, X, lam, n_iter=15):
    L = np.linalg.norm(D, 2) ** 2
    codes = np.zeros((D.shape[1], X.shape[1]))
    for it in range(n_iter):
        grad = D.T @ (D @ codes - X)
        codes = soft_threshold(codes - grad / L, lam / L)
    return codes


def dictionary_loss(D, X, lam=0.1):
    D = normalise_columns(D)
    A = ista(D, X, lam)
    resid = X - D @ A
    return 0.5 * np.sum(resid ** 2) / X.shape[1] + lam * np.abs(A).sum() / X.shape[1]


rng = np.random.default_rng(2001)
n_feat, n_atoms, n_sig = 8, 12, 20
D_true = normalise_columns(rng.standard_normal((n_feat, n_atoms)))
codes_true = rng.standard_normal((n_atoms, n_sig)) * (rng.random((n_atoms, n_sig)) < 0.25)
X = D_true @ codes_true + 0.05 * rng.standard_normal((n_feat, n_sig))
D0 = D_true + 0.3 * rng.standard_normal((n_feat, n_atoms))

f = dictionary_loss
ARGS = (D0, X)
