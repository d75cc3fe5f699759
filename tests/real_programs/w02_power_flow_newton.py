"""AC power flow on a 4-bus network solved by Newton-Raphson in polar form: bus admittance matrix
from a line list (complex), mismatch and the Jacobian by finite differences of a helper, a while loop
until the mismatch is small, np.linalg.solve for the update; the loss is the slack bus injection
(generation cost) plus a voltage-deviation penalty, differentiated w.r.t. the loads."""
import numpy as np

LINES = [(0, 1, 0.02 + 0.06j), (0, 2, 0.08 + 0.24j), (1, 2, 0.06 + 0.18j), (1, 3, 0.06 + 0.18j), (2, 3, 0.01 + 0.03j)]


def admittance(n_bus):
    Y = np.zeros((n_bus, n_bus), dtype=complex)
    for i, j, z in LINES:
        y = 1.0 / z
        Y[i, i] += y
        Y[j, j] += y
        Y[i, j] -= y
        Y[j, i] -= y
    return Y


def injections(theta, vm, Y):
    V = vm * np.exp(1j * theta)
    S = V * np.conj(Y @ V)
    return S.real, S.imag


def mismatch(x, P_spec, Q_spec, Y):
    theta = np.concatenate([[0.0], x[:3]])
    vm = np.concatenate([[1.02], x[3:]])
    P, Q = injections(theta, vm, Y)
    return np.concatenate([P[1:] - P_spec, Q[1:] - Q_spec])


def solve_power_flow(P_load, Q_load, tol=1e-10, max_iter=20):
    Y = admittance(4)
    x = np.concatenate([np.zeros(3), np.ones(3)])
    it = 0
    F = mismatch(x, -P_load, -Q_load, Y)
    while np.max(np.abs(F)) > tol and it < max_iter:
        J = np.zeros((6, 6))
        h = 1e-7
        for k in range(6):
            e = np.zeros(6)
            e[k] = h
            J[:, k] = (mismatch(x + e, -P_load, -Q_load, Y) - F) / h
        x = x - np.linalg.solve(J, F)
        F = mismatch(x, -P_load, -Q_load, Y)
        it += 1
    theta = np.concatenate([[0.0], x[:3]])
    vm = np.concatenate([[1.02], x[3:]])
    return theta, vm, Y


def dispatch_cost(P_load, Q_load):
    theta, vm, Y = solve_power_flow(P_load, Q_load)
    P, Q = injections(theta, vm, Y)
    p_slack = P[0]
    return 10.0 * p_slack + 2.0 * p_slack ** 2 + 50.0 * np.sum((vm[1:] - 1.0) ** 2)


P_load = np.array([0.5, 0.6, 0.4])
Q_load = np.array([0.2, 0.25, 0.15])
f = dispatch_cost
KW = dict(wrt=("P_load", "Q_load"))
ARGS = (P_load, Q_load)
