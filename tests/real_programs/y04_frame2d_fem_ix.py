"""Plane frame (Euler-Bernoulli beam elements with axial stiffness) for a small portal truss-frame:
each element's 6x6 local stiffness is rotated to global axes and scattered into K with
K[np.ix_(dofs, dofs)] += ke, supports are removed by boolean masks on the free DOFs, and the
compliance f.u plus a material-volume penalty is differentiated w.r.t. the element
cross-section areas (second moments I = alpha * A^2 for a square section)."""
import numpy as np

E_MOD = 210e9  # Pa
NODES = np.array([[0.0, 0.0], [0.0, 3.0], [4.0, 3.0], [4.0, 0.0], [2.0, 4.5]])
ELEMENTS = [(0, 1), (1, 2), (2, 3), (1, 4), (4, 2), (0, 2)]
FIXED = [0, 1, 2, 9, 10, 11]          # both base nodes clamped


def element_stiffness(xa, xb, A, I):
    d = xb - xa
    L = np.linalg.norm(d)
    c, s = d / L
    k = np.zeros((6, 6))
    ea, ei = E_MOD * A / L, E_MOD * I / L ** 3
    k[0, 0] = k[3, 3] = ea
    k[0, 3] = k[3, 0] = -ea
    sub = ei * np.array([[12, 6 * L, -12, 6 * L],
                         [6 * L, 4 * L ** 2, -6 * L, 2 * L ** 2],
                         [-12, -6 * L, 12, -6 * L],
                         [6 * L, 2 * L ** 2, -6 * L, 4 * L ** 2]])
    idx = [1, 2, 4, 5]
    k[np.ix_(idx, idx)] = sub
    T = np.zeros((6, 6))
    R = np.array([[c, s, 0.0], [-s, c, 0.0], [0.0, 0.0, 1.0]])
    T[:3, :3] = R
    T[3:, 3:] = R
    return T.T @ k @ T, L


def compliance(areas, loads, alpha=1.0 / 12.0, vol_weight=1e3):
    n_dof = 3 * len(NODES)
    K = np.zeros((n_dof, n_dof))
    volume = 0.0
    for e, (a, b) in enumerate(ELEMENTS):
        ke, L = element_stiffness(NODES[a], NODES[b], areas[e], alpha * areas[e] ** 2)
        dofs = [3 * a, 3 * a + 1, 3 * a + 2, 3 * b, 3 * b + 1, 3 * b + 2]
        K[np.ix_(dofs, dofs)] += ke
        volume += areas[e] * L
    free = np.ones(n_dof, dtype=bool)
    free[FIXED] = False
    u = np.zeros(n_dof)
    u[free] = np.linalg.solve(K[np.ix_(free, free)], loads[free])
    return loads @ u * 1e3 + vol_weight * volume


loads = np.zeros(15)
loads[3 * 4 + 1] = -50e3      # apex vertical load (N)
loads[3 * 1] = 10e3           # wind at the left knee
f = compliance
ARGS = (np.array([4e-3, 3e-3, 4e-3, 2e-3, 2e-3, 1e-3]), loads)
