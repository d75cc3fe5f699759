"""Soft k-means as the free energy of deterministic annealing: for each inverse temperature in a
schedule, F = -1/beta sum_i log sum_k exp(-beta ||x_i - mu_k||^2), plus a weak repulsion keeping
centroids apart; helpers written as lambdas."""
import numpy as np
from scipy.special import logsumexp

BETAS = (0.5, 2.0, 8.0)

sq_dists = lambda X, C: np.sum((X[:, None, :] - C[None, :, :]) ** 2, axis=-1)
free_energy = lambda D, beta: -np.sum(logsumexp(-beta * D, axis=1)) / beta


def annealed_objective(centroids, X, repulsion=0.05):
    D = sq_dists(X, centroids)
    total = sum(free_energy(D, beta) for beta in BETAS) / (len(BETAS) * len(X))
    Dc = sq_dists(centroids, centroids)
    off = ~np.eye(len(centroids), dtype=bool)
    return total + repulsion * np.sum(np.exp(-Dc[off]))


rng = np.random.default_rng(127)
centers = np.array([[0.0, 0.0], [3.0, 0.5], [1.0, 3.0]])
X = np.concatenate([c + 0.6 * rng.standard_normal((25, 2)) for c in centers])
f = annealed_objective
ARGS = (centers + rng.standard_normal((3, 2)), X)
