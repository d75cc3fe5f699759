"""Semi-supervised node regression with a graph heat kernel: the weighted adjacency is filled edge
by edge from an edge list (A[i, j] = A[j, i] = w in a loop), the normalised Laplacian is
diagonalised with np.linalg.eigh and the kernel exp(-tL) rebuilt from the eigenpairs, kernel ridge
regression on the labelled nodes (np.linalg.solve), squared error on held-out nodes; differentiated
w.r.t. the edge weights and the diffusion time (learning the graph)."""
import numpy as np


def adjacency(edges, weights, n):
    A = np.zeros((n, n))
    for (i, j), w in zip(edges, weights):
        A[i, j] = w
        A[j, i] = w
    return A


def heat_kernel(A, t):
    deg = A.sum(axis=1)
    d_inv_sqrt = 1.0 / np.sqrt(deg)
    L = np.eye(A.shape[0]) - d_inv_sqrt[:, None] * A * d_inv_sqrt[None, :]
    evals, evecs = np.linalg.eigh(L)
    return (evecs * np.exp(-t * evals)) @ evecs.T


def heldout_error(log_w, log_t, edges, n, labelled, y_lab, heldout, y_held, ridge=1e-2):
    A = adjacency(edges, np.exp(log_w), n)
    K = heat_kernel(A, np.exp(log_t))
    K_ll = K[np.ix_(labelled, labelled)]
    K_hl = K[np.ix_(heldout, labelled)]
    alpha = np.linalg.solve(K_ll + ridge * np.eye(len(labelled)), y_lab)
    pred = K_hl @ alpha
    return np.mean((pred - y_held) ** 2)


rng = np.random.default_rng(2024)
n = 12
edges = [(i, i + 1) for i in range(n - 1)] + [(0, 5), (2, 8), (3, 11), (6, 10), (1, 9)]
signal = np.sin(np.linspace(0, 2 * np.pi, n)) + 0.1 * rng.standard_normal(n)
labelled, heldout = np.array([0, 2, 4, 6, 8, 10]), np.array([1, 3, 5, 7, 9, 11])
log_w = 0.3 * rng.standard_normal(len(edges))
f = heldout_error
KW = dict(wrt=("log_w", "log_t"))
ARGS = (log_w, np.log(0.8), edges, n, labelled, signal[labelled], heldout, signal[heldout])
