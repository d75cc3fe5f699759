"""Exact diagonalisation of a small open XXZ Heisenberg spin chain with site-dependent couplings
and a longitudinal field: the 2^N x 2^N Hamiltonian is assembled from Pauli matrices with
functools.reduce(np.kron, ...) over operator lists, the ground-state energy and the first gap come
from np.linalg.eigvalsh, and a two-site correlation <S^z_0 S^z_{N-1}> from the ground vector of
np.linalg.eigh.  The loss fits the couplings to target spectral data (e.g. from a measured
spectrum), differentiated w.r.t. the coupling array J and the field h."""
import functools

import numpy as np

SX = np.array([[0.0, 1.0], [1.0, 0.0]]) / 2
SY = np.array([[0.0, -1j], [1j, 0.0]]) / 2
SZ = np.array([[1.0, 0.0], [0.0, -1.0]]) / 2
I2 = np.eye(2)
N_SITES = 5
DELTA = 0.7


def site_op(op, i, n=N_SITES):
    ops = [I2] * n
    ops[i] = op
    return functools.reduce(np.kron, ops)


def hamiltonian(J, h):
    dim = 2 ** N_SITES
    H = np.zeros((dim, dim))
    for i in range(N_SITES - 1):
        xx = site_op(SX, i) @ site_op(SX, i + 1)
        yy = np.real(site_op(SY, i) @ site_op(SY, i + 1))
        zz = site_op(SZ, i) @ site_op(SZ, i + 1)
        H = H + J[i] * (xx + yy + DELTA * zz)
    for i in range(N_SITES):
        H = H + h * (1.0 + 0.1 * i) * site_op(SZ, i)
    return H


def spectral_loss(J, h, target_e0, target_gap, target_corr):
    H = hamiltonian(J, h)
    evals = np.linalg.eigvalsh(H)
    w, V = np.linalg.eigh(H)
    psi = V[:, 0]
    corr = psi @ (site_op(SZ, 0) @ site_op(SZ, N_SITES - 1)) @ psi
    return ((evals[0] - target_e0) ** 2 + (evals[1] - evals[0] - target_gap) ** 2
            + 10.0 * (corr - target_corr) ** 2)


f = spectral_loss
KW = dict(wrt=("J", "h"))
ARGS = (np.array([1.0, 0.9, 1.1, 0.95]), 0.13, -1.9, 0.25, -0.1)
