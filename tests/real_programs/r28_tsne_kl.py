"""t-SNE objective: input affinities P from a per-point bisection on the Gaussian precision to
match a target perplexity (done once, at import), symmetrised; the loss is KL(P || Q) with the
Student-t kernel Q of the 2-D embedding, diagonal zeroed with np.fill_diagonal."""
import numpy as np


def conditional_p(D, perplexity=8.0, tol=1e-6, max_iter=60):
    n = D.shape[0]
    P = np.zeros((n, n))
    target = np.log(perplexity)
    for i in range(n):
        lo, hi, beta = 0.0, np.inf, 1.0
        d = np.delete(D[i], i)
        for _ in range(max_iter):
            p = np.exp(-d * beta)
            p /= p.sum()
            H = -np.sum(p * np.log(p + 1e-300))
            if abs(H - target) < tol:
                break
            if H > target:
                lo, beta = beta, beta * 2 if hi == np.inf else (beta + hi) / 2
            else:
                hi, beta = beta, (beta + lo) / 2
        P[i, np.arange(n) != i] = p
    return P


def tsne_kl(Y, P):
    D = np.sum((Y[:, None, :] - Y[None, :, :]) ** 2, axis=-1)
    num = 1.0 / (1.0 + D)
    np.fill_diagonal(num, 0.0)
    Q = num / num.sum()
    return np.sum(P * np.log(np.maximum(P, 1e-12) / np.maximum(Q, 1e-12)))


rng = np.random.default_rng(128)
X = np.concatenate([rng.normal(0, 1, (12, 5)), rng.normal(4, 1, (12, 5))])
Dx = np.sum((X[:, None] - X[None]) ** 2, axis=-1)
Pc = conditional_p(Dx)
P = (Pc + Pc.T) / (2 * len(X))

f = tsne_kl
ARGS = (1e-1 * rng.standard_normal((len(X), 2)), P)
