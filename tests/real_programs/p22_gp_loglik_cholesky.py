import numpy as np

def rbf_kernel(X1, X2, lengthscale, variance):
    sqdist = np.sum(X1 ** 2, 1).reshape(-1, 1) + np.sum(X2 ** 2, 1) - 2 * X1 @ X2.T
    return variance * np.exp(-0.5 * sqdist / lengthscale ** 2)

def neg_log_marginal_likelihood(log_params, X, y):
    lengthscale, variance, noise = np.exp(log_params)
    n = X.shape[0]
    K = rbf_kernel(X, X, lengthscale, variance) + (noise + 1e-8) * np.eye(n)
    L = np.linalg.cholesky(K)
    alpha = np.linalg.solve(L.T, np.linalg.solve(L, y))
    return 0.5 * y @ alpha + np.sum(np.log(np.diagonal(L))) + 0.5 * n * np.log(2 * np.pi)

rng = np.random.default_rng(21)
X = rng.uniform(-3, 3, (15, 2))
y = np.sin(X[:, 0]) + 0.3 * X[:, 1] + 0.1 * rng.standard_normal(15)
f = neg_log_marginal_likelihood
ARGS = (np.log(np.array([1.2, 0.8, 0.05])), X, y)
