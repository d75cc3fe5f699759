"""Water distribution network calibration: pipe flows from nodal heads by Hazen-Williams
(Q = k sign(dh) |dh|^0.54), nodal continuity accumulated with np.add.at over the pipe list, Newton's
method on the unknown heads with the Jacobian assembled with np.add.at too and the reservoir rows
fixed with boolean-mask assignment; the misfit of heads at the metered nodes is differentiated
w.r.t. the pipes' roughness coefficients C."""
import numpy as np

PIPES = np.array([[0, 1], [1, 2], [1, 3], [2, 4], [3, 4], [3, 5], [4, 5]])
LENGTH = np.array([500.0, 400.0, 450.0, 300.0, 350.0, 500.0, 250.0])
DIAM = np.array([0.4, 0.3, 0.3, 0.25, 0.25, 0.2, 0.2])


def conductance(C):
    return 0.278 * C * DIAM ** 2.63 / LENGTH ** 0.54


def flows(H, k):
    dh = H[PIPES[:, 0]] - H[PIPES[:, 1]]
    return k * np.sign(dh) * np.abs(dh) ** 0.54, dh


def solve_heads(C, demand, fixed, H_fixed, n_newton=12):
    k = conductance(C)
    n = demand.shape[0]
    H = np.where(fixed, H_fixed, H_fixed.max() - 5.0 - np.arange(n, dtype=float))
    for _ in range(n_newton):
        Q, dh = flows(H, k)
        resid = -demand.copy()
        np.add.at(resid, PIPES[:, 1], Q)
        np.add.at(resid, PIPES[:, 0], -Q)
        g = 0.54 * k * np.abs(dh) ** (-0.46)
        J = np.zeros((n, n))
        np.add.at(J, (PIPES[:, 0], PIPES[:, 0]), -g)
        np.add.at(J, (PIPES[:, 1], PIPES[:, 1]), -g)
        np.add.at(J, (PIPES[:, 0], PIPES[:, 1]), g)
        np.add.at(J, (PIPES[:, 1], PIPES[:, 0]), g)
        J[fixed] = 0.0
        J[fixed, fixed] = 1.0
        resid[fixed] = 0.0
        H = H - np.linalg.solve(J, resid)
    return H


def calibration_loss(C, demand, fixed, H_fixed, metered, observed):
    H = solve_heads(C, demand, fixed, H_fixed)
    return np.mean((H[metered] - observed) ** 2) + 1e-6 * np.sum((C - 120.0) ** 2)


fixed = np.array([True, False, False, False, False, False])
H_fixed = np.array([100.0, 0, 0, 0, 0, 0])
demand = np.array([0.0, 0.02, 0.03, 0.025, 0.04, 0.03])
metered = np.array([2, 4, 5])
observed = solve_heads(np.array([130.0, 110.0, 120.0, 100.0, 115.0, 95.0, 105.0]), demand, fixed, H_fixed)[metered]
f = calibration_loss
ARGS = (np.array([120.0, 120.0, 115.0, 110.0, 110.0, 100.0, 100.0]), demand, fixed, H_fixed, metered, observed)
