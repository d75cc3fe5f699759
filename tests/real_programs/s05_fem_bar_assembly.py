"""1-D finite elements for an axially loaded bar with element-wise Young's modulus: linear
elements, stiffness assembled with np.ix_ into the global matrix, Dirichlet node removed by
slicing, displacement from np.linalg.solve, and compliance plus a displacement-matching term."""
import numpy as np


def element_stiffness(E, A, L):
    return E * A / L * np.array([[1.0, -1.0], [-1.0, 1.0]])


def assemble(E, A, nodes):
    n_el = len(E)
    K = np.zeros((n_el + 1, n_el + 1))
    for e in range(n_el):
        L = nodes[e + 1] - nodes[e]
        idx = [e, e + 1]
        K[np.ix_(idx, idx)] += element_stiffness(E[e], A, L)
    return K


def body_force(q, nodes):
    F = np.zeros(len(nodes))
    for e, (xa, xb) in enumerate(zip(nodes[:-1], nodes[1:])):
        L = xb - xa
        F[e] += q * L / 2
        F[e + 1] += q * L / 2
    return F


def objective(log_E, nodes, u_meas, A=0.01, q=5.0, tip_load=2.0, beta=0.1):
    E = np.exp(log_E)
    K = assemble(E, A, nodes)
    F = body_force(q, nodes)
    F[-1] += tip_load
    # clamp the left end
    Kf = K[1:, 1:]
    u = np.zeros(len(nodes))
    u[1:] = np.linalg.solve(Kf, F[1:])
    compliance = F @ u
    return np.sum((u - u_meas) ** 2) / np.sum(u_meas ** 2) + beta * compliance


nodes = np.linspace(0.0, 1.0, 11) ** 1.2
rng = np.random.default_rng(5)
E_true = 200.0 * (1 + 0.3 * np.sin(np.linspace(0, 3, 10)))
K_true = assemble(E_true, 0.01, nodes)
F_true = body_force(5.0, nodes)
F_true[-1] += 2.0
u_meas = np.zeros(11)
u_meas[1:] = np.linalg.solve(K_true[1:, 1:], F_true[1:])
u_meas = u_meas * (1 + 0.01 * rng.standard_normal(11))

f = objective
ARGS = (np.log(180.0) + 0.1 * rng.standard_normal(10), nodes, u_meas)
