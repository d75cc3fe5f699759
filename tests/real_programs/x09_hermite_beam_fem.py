"""Euler-Bernoulli cantilever discretised with cubic Hermite beam elements for thickness
sizing: each element's 4x4 stiffness is built by a helper from its bending stiffness E*I(h) with
I = b h^3 / 12, assembled into the global matrix by slice addition `K[s:s + 4, s:s + 4] += ke` in a
loop over elements, the clamped degrees of freedom removed with np.ix_ of a free-DOF index array,
np.linalg.solve for the displacements under a distributed load vector; the objective is the
compliance plus a mass penalty, differentiated w.r.t. the element thicknesses."""
import numpy as np

E, WIDTH, LENGTH, N_EL = 70e9, 0.05, 2.0, 12


def element_stiffness(EI, le):
    return EI / le ** 3 * np.array([
        [12.0, 6 * le, -12.0, 6 * le],
        [6 * le, 4 * le ** 2, -6 * le, 2 * le ** 2],
        [-12.0, -6 * le, 12.0, -6 * le],
        [6 * le, 2 * le ** 2, -6 * le, 4 * le ** 2],
    ])


def load_vector(q, le, n_el):
    F = np.zeros(2 * (n_el + 1))
    fe = q * le / 12 * np.array([6.0, le, 6.0, -le])
    for e in range(n_el):
        F[2 * e:2 * e + 4] += fe
    F[-2] += 500.0  # tip load
    return F


def compliance(h, q=800.0, mass_weight=2e-3):
    le = LENGTH / N_EL
    ndof = 2 * (N_EL + 1)
    K = np.zeros((ndof, ndof))
    for e, he in enumerate(h):
        EI = E * WIDTH * he ** 3 / 12
        s = 2 * e
        K[s:s + 4, s:s + 4] += element_stiffness(EI, le)
    F = load_vector(q, le, N_EL)
    free = np.arange(2, ndof)
    u = np.zeros(ndof)
    u[free] = np.linalg.solve(K[np.ix_(free, free)], F[free])
    mass = 2700.0 * WIDTH * le * np.sum(h)
    return F @ u + mass_weight * mass


f = compliance
ARGS = (np.linspace(0.06, 0.03, N_EL),)
