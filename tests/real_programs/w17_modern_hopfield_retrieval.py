"""Modern Hopfield network (dense associative memory): stored patterns (a list) are handed to a
helper as *args and stacked, a noisy query is iterated with xi <- X^T softmax(beta X xi) in a while loop until the step
is small (np.linalg.norm) or a cap is reached, the energy uses a log-sum-exp written with np.max
shift; a retrieval loss plus the final energy, differentiated w.r.t. every stored pattern."""
import numpy as np


def lse(z, beta):
    m = np.max(z)
    return m + np.log(np.sum(np.exp(beta * (z - m)))) / beta


def energy(xi, X, beta):
    return -lse(X @ xi, beta) + 0.5 * xi @ xi


def retrieve(query, X, beta=4.0, tol=1e-9, max_iter=50, verbose=False):
    xi = query
    it = 0
    delta = np.inf
    while delta > tol and it < max_iter:
        a = beta * (X @ xi)
        p = np.exp(a - a.max())
        p /= p.sum()
        new = X.T @ p
        delta = np.linalg.norm(new - xi)
        xi = new
        it += 1
    if verbose:
        print(f"converged in {it} iterations, last step {delta:.2e}")
    return xi


def build_memory(*patterns, scale=1.0):
    return scale * np.stack(patterns)


def memory_loss(patterns, queries, targets, beta=4.0):
    X = build_memory(*patterns)
    total = 0.0
    for q, t in zip(queries, targets):
        xi = retrieve(q, X, beta=beta, verbose=True)
        total += np.sum((xi - X[t]) ** 2) + 0.1 * energy(xi, X, beta)
    return total / len(queries)


rng = np.random.default_rng(2017)
d, n_pat = 10, 5
patterns = [rng.standard_normal(d) / np.sqrt(d) * 2.0 for _ in range(n_pat)]
targets = [0, 3, 1]
queries = [patterns[t] + 0.3 * rng.standard_normal(d) / np.sqrt(d) for t in targets]
f = memory_loss
ARGS = (patterns, queries, targets)
