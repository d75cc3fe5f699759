"""Learning a k-dimensional principal subspace by gradient descent on an unconstrained matrix:
an orthonormal basis comes from np.linalg.qr, the loss is the reconstruction error of the
projected data minus a small log-volume bonus from the singular values of the scores."""
import numpy as np


def orthonormal_basis(W):
    Q, R = np.linalg.qr(W)
    return Q * np.sign(np.diag(R))            # fix the sign ambiguity


def subspace_loss(W, X, bonus=1e-2):
    Xc = X - X.mean(axis=0)
    Q = orthonormal_basis(W)
    scores = Xc @ Q
    recon = scores @ Q.T
    err = np.sum((Xc - recon) ** 2) / len(X)
    s = np.linalg.svd(scores, compute_uv=False)
    return err - bonus * np.sum(np.log(s))


rng = np.random.default_rng(129)
latent = rng.standard_normal((50, 2)) * np.array([3.0, 1.5])
mixing = rng.standard_normal((2, 6))
X = latent @ mixing + 0.3 * rng.standard_normal((50, 6))
f = subspace_loss
ARGS = (rng.standard_normal((6, 2)), X)
