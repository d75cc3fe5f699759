"""Factor analysis with a Wishart-style prior: covariance W W^T + diag(psi), Gaussian
log-likelihood via np.linalg.slogdet and np.linalg.inv, a log-det prior term with np.linalg.det,
an orthogonality penalty through np.linalg.qr, a condition-number penalty from np.linalg.eigh and
a whitening check with np.linalg.cholesky."""
import numpy as np


def neg_log_lik(W, log_psi, X):
    n, d = X.shape
    psi = np.exp(log_psi)
    Sigma = W @ W.T + np.diag(psi)
    Xc = X - X.mean(axis=0)
    S = Xc.T @ Xc / n
    sign, logdet = np.linalg.slogdet(Sigma)
    Sinv = np.linalg.inv(Sigma)
    nll = 0.5 * n * (logdet + np.trace(Sinv @ S) + d * np.log(2 * np.pi))
    prior = 2.0 * np.log(np.linalg.det(W.T @ W)) - 0.5 * np.sum(log_psi ** 2)
    Q, Rq = np.linalg.qr(W)
    ortho = np.sum((np.abs(np.diag(Rq)) - 1.0) ** 2)
    evals = np.linalg.eigh(Sigma)[0]
    cond = np.log(evals[-1] / evals[0])
    L = np.linalg.cholesky(Sigma)
    Z = np.linalg.solve(L, Xc.T)
    white = np.sum((Z @ Z.T / n - np.eye(d)) ** 2)
    return nll - prior + 0.1 * ortho + 0.05 * cond ** 2 + 0.1 * white


rng = np.random.default_rng(531)
d, k, n = 5, 2, 100
W_true = rng.standard_normal((d, k))
X = rng.standard_normal((n, k)) @ W_true.T + 0.5 * rng.standard_normal((n, d))

f = neg_log_lik
KW = {"wrt": ("W", "log_psi")}
ARGS = (W_true + 0.2 * rng.standard_normal((d, k)), np.log(0.3 + 0.2 * rng.random(d)), X)
