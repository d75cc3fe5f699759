"""Diffusion tensor MRI: per-voxel tensors are parameterised by their Cholesky factor (6 numbers
into a lower-triangular matrix built with index assignment), the signal model S = S0 exp(-b g^T D g)
over gradient directions, a Rician-ish log loss, plus a regulariser on fractional anisotropy
computed from np.linalg.eigh eigenvalues (mean, var).  Differentiated w.r.t. the factor entries."""
import numpy as np

TRIL = np.tril_indices(3)


def tensor_from_params(p):
    L = np.zeros((3, 3))
    L[TRIL] = p
    return L @ L.T


def fractional_anisotropy(D):
    evals = np.linalg.eigh(D)[0]
    md = evals.mean()
    return np.sqrt(1.5 * np.sum((evals - md) ** 2) / np.sum(evals ** 2))


def voxel_loss(p, s0, signals, bvals, bvecs, fa_target, weight=0.05):
    D = tensor_from_params(p)
    adc = np.einsum("ni,ij,nj->n", bvecs, D, bvecs)
    pred = s0 * np.exp(-bvals * adc)
    fit = np.sum((np.log(pred + 1e-3) - np.log(signals + 1e-3)) ** 2)
    return fit + weight * (fractional_anisotropy(D) - fa_target) ** 2


def total_loss(params, s0, signals, bvals, bvecs, fa_target):
    total = 0.0
    for v in range(params.shape[0]):
        total = total + voxel_loss(params[v], s0[v], signals[v], bvals, bvecs, fa_target[v])
    return total / params.shape[0]


rng = np.random.default_rng(2003)
n_dir, n_vox = 15, 4
bvecs = rng.standard_normal((n_dir, 3))
bvecs /= np.linalg.norm(bvecs, axis=1, keepdims=True)
bvals = np.full(n_dir, 1.0)
true_p = np.array([[1.2, 0.1, 0.6, 0.05, -0.1, 0.5]]) + 0.1 * rng.standard_normal((n_vox, 6))
s0 = 1.0 + 0.1 * rng.random(n_vox)
signals = np.stack([s0[v] * np.exp(-bvals * np.einsum("ni,ij,nj->n", bvecs, tensor_from_params(true_p[v]), bvecs))
                    for v in range(n_vox)]) * (1 + 0.02 * rng.standard_normal((n_vox, n_dir)))
params0 = true_p + 0.15 * rng.standard_normal((n_vox, 6))
f = total_loss
ARGS = (params0, s0, signals, bvals, bvecs, np.array([0.5, 0.6, 0.55, 0.45]))
