"""Inverse Ising by mean-field moment matching: couplings J (symmetrised, zero diagonal) and fields h
give magnetisations m by the TAP self-consistency m = tanh(h + J m - m * (J**2 @ (1 - m**2))),
iterated with damping in a `while` loop until the update is below a tolerance (walrus in the
condition, an iteration cap with break); the loss matches the data magnetisations and the
mean-field connected correlations (inverse of -J + diag(1/(1-m^2))), and keeps the coupling
matrix's largest eigenvalue (np.linalg.eigvalsh) below 1.  Differentiated w.r.t. (A, h)."""
import numpy as np


def tap_magnetisation(J, h, damping=0.5, tol=1e-12, max_iter=500):
    m = np.zeros_like(h)
    it = 0
    while (it := it + 1) <= max_iter:
        onsager = m * (J ** 2 @ (1.0 - m ** 2))
        m_new = np.tanh(h + J @ m - onsager)
        delta = np.max(np.abs(m_new - m))
        m = damping * m + (1.0 - damping) * m_new
        if delta < tol:
            break
    return m


def moment_loss(A, h, m_data, C_data, lam=5.0):
    J = 0.5 * (A + A.T)
    J = J - np.diag(np.diag(J))
    m = tap_magnetisation(J, h)
    Cinv = -J + np.diag(1.0 / (1.0 - m ** 2))
    C = np.linalg.inv(Cinv)
    iu = np.triu_indices_from(C, k=1)
    corr_err = np.sum((C[iu] - C_data[iu]) ** 2)
    lmax = np.linalg.eigvalsh(J)[-1]
    return np.sum((m - m_data) ** 2) + corr_err + lam * np.maximum(lmax - 1.0, 0.0) ** 2


rng = np.random.default_rng(15)
n = 6
A0 = 0.15 * rng.standard_normal((n, n))
h0 = 0.2 * rng.standard_normal(n)
m_data = np.tanh(h0 + 0.1)
C_data = 0.1 * np.eye(n) + 0.02 * rng.standard_normal((n, n))
C_data = 0.5 * (C_data + C_data.T)
f = moment_loss
ARGS = (A0, h0, m_data, C_data)
KW = {"wrt": ("A", "h")}
