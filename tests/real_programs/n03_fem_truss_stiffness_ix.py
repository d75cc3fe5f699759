"""2-D truss: element stiffness assembled into the global matrix with K[np.ix_(dofs, dofs)] += ke,
supports removed by boolean masks, displacement solved; compliance differentiated wrt bar areas."""
import numpy as np

nodes = np.array([[0., 0.], [1., 0.], [2., 0.], [0., 1.], [1., 1.], [2., 1.]])
bars = np.array([[0, 1], [1, 2], [3, 4], [4, 5], [0, 3], [1, 4], [2, 5], [0, 4], [1, 5], [3, 1], [4, 2]])


def compliance(areas, E=200.0):
    ndof = 2 * len(nodes)
    K = np.zeros((ndof, ndof))
    for e in range(len(bars)):
        a, b = bars[e]
        d = nodes[b] - nodes[a]
        L = np.sqrt(d @ d)
        c, s = d / L
        k = E * areas[e] / L
        t = np.array([c, s, -c, -s])
        ke = k * np.outer(t, t)
        dofs = np.array([2 * a, 2 * a + 1, 2 * b, 2 * b + 1])
        K[np.ix_(dofs, dofs)] += ke
    F = np.zeros(ndof)
    F[2 * 2 + 1] = -1.0
    F[2 * 5 + 1] = -0.5
    fixed = np.zeros(ndof, dtype=bool)
    fixed[[0, 1, 6]] = True
    free = ~fixed
    u = np.zeros(ndof)
    u[free] = np.linalg.solve(K[free][:, free], F[free])
    return F @ u + 0.1 * np.sum(areas * np.linalg.norm(nodes[bars[:, 1]] - nodes[bars[:, 0]], axis=1))


f = compliance
ARGS = (np.linspace(0.5, 1.5, len(bars)),)
