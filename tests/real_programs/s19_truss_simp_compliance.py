"""Sizing optimisation of a 2-D pin-jointed truss: each bar's 4x4 global stiffness from its
direction cosines, scattered into K through a dof list with an explicit double loop, supports
removed with a boolean free-dof mask, compliance F.u plus a volume penalty, w.r.t. the bar
cross-sections (SIMP-like power law on a density in (0, 1) given by a sigmoid)."""
import numpy as np

NODES = np.array([[0.0, 0.0], [1.0, 0.0], [2.0, 0.0], [0.0, 1.0], [1.0, 1.0], [2.0, 1.0]])
BARS = [(0, 1), (1, 2), (3, 4), (4, 5), (0, 3), (1, 4), (2, 5), (0, 4), (1, 3), (1, 5), (2, 4)]
FIXED = [0, 1, 6, 7]          # nodes 0 and 3 pinned
E_MOD = 100.0


def bar_stiffness(xy_a, xy_b, area):
    d = xy_b - xy_a
    L = np.sqrt(d @ d)
    c, s = d / L
    k = np.array([[c * c, c * s], [c * s, s * s]])
    block = np.block([[k, -k], [-k, k]])
    return E_MOD * area / L * block, L


def global_stiffness(areas):
    n_dof = 2 * len(NODES)
    K = np.zeros((n_dof, n_dof))
    lengths = []
    for (a, b), area in zip(BARS, areas):
        ke, L = bar_stiffness(NODES[a], NODES[b], area)
        dofs = [2 * a, 2 * a + 1, 2 * b, 2 * b + 1]
        for i, di in enumerate(dofs):
            for j, dj in enumerate(dofs):
                K[di, dj] += ke[i, j]
        lengths.append(L)
    return K, np.array(lengths)


def objective(z, load, a_min=1e-3, a_max=0.1, p=3.0, vol_weight=20.0):
    rho = 1.0 / (1.0 + np.exp(-z))
    areas = a_min + (a_max - a_min) * rho ** p
    K, lengths = global_stiffness(areas)
    free = np.ones(K.shape[0], dtype=bool)
    free[FIXED] = False
    u = np.zeros(K.shape[0])
    u[free] = np.linalg.solve(K[np.ix_(free, free)], load[free])
    compliance = load @ u
    volume = np.sum(areas * lengths)
    return compliance + vol_weight * volume


load = np.zeros(12)
load[5] = -1.0   # node 2, downwards
load[11] = -0.5  # node 5
rng = np.random.default_rng(19)
f = objective
ARGS = (0.5 * rng.standard_normal(len(BARS)), load)
