"""Sammon mapping (nonlinear MDS) of 12 points from 5-D to 2-D: the embedding's pairwise distances
come from scipy's pdist (the condensed upper triangle, as most code computes them), the stress is
Sammon's weighted by 1/D, plus Kruskal's stress-1 as a second term.  Differentiated w.r.t. the 2-D
coordinates."""
import numpy as np
from scipy.spatial.distance import pdist


def sammon_stress(Y, D):
    d = pdist(Y)
    sammon = np.sum((D - d) ** 2 / D) / D.sum()
    kruskal = np.sqrt(np.sum((D - d) ** 2) / np.sum(d ** 2))
    return sammon + 0.1 * kruskal


rng = np.random.default_rng(3)
X = rng.standard_normal((12, 5))
D = pdist(X)
f = sammon_stress
ARGS = (rng.standard_normal((12, 2)), D)
