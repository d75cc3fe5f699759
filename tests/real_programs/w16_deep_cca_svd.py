"""Deep CCA (two-view representation learning): each view goes through its own one-hidden-layer
tanh network (weights in a list of dicts per view), the centred outputs' covariances are
regularised and whitened with Cholesky factors (np.linalg.cholesky, np.linalg.solve with the
triangular factors), the total correlation is the sum of singular values of the whitened
cross-covariance (np.linalg.svd, compute_uv=False); the negative correlation is differentiated
w.r.t. both networks."""
import numpy as np


def view_net(layers, X):
    h = X
    for k, layer in enumerate(layers):
        h = h @ layer["W"] + layer["b"]
        if k + 1 < len(layers):
            h = np.tanh(h)
    return h


def covariances(H1, H2, reg=1e-3):
    n = H1.shape[0]
    H1 = H1 - H1.mean(axis=0)
    H2 = H2 - H2.mean(axis=0)
    S11 = H1.T @ H1 / (n - 1) + reg * np.eye(H1.shape[1])
    S22 = H2.T @ H2 / (n - 1) + reg * np.eye(H2.shape[1])
    S12 = H1.T @ H2 / (n - 1)
    return S11, S22, S12


def total_correlation(nets, X1, X2):
    H1, H2 = view_net(nets[0], X1), view_net(nets[1], X2)
    S11, S22, S12 = covariances(H1, H2)
    L1, L2 = np.linalg.cholesky(S11), np.linalg.cholesky(S22)
    T = np.linalg.solve(L1, S12)
    T = np.linalg.solve(L2, T.T).T
    corr = np.linalg.svd(T, compute_uv=False)
    return -np.sum(corr)


def init_view(rng, d_in, d_hidden, d_out):
    return [{"W": rng.standard_normal((d_in, d_hidden)) / np.sqrt(d_in), "b": 0.1 * rng.standard_normal(d_hidden)},
            {"W": rng.standard_normal((d_hidden, d_out)) / np.sqrt(d_hidden), "b": np.zeros(d_out)}]


rng = np.random.default_rng(2016)
n = 60
latent = rng.standard_normal((n, 2))
X1 = np.concatenate([latent, rng.standard_normal((n, 3))], axis=1) @ rng.standard_normal((5, 5))
X2 = np.tanh(latent @ rng.standard_normal((2, 4))) + 0.3 * rng.standard_normal((n, 4))
nets = [init_view(rng, 5, 8, 3), init_view(rng, 4, 8, 3)]
f = total_correlation
ARGS = (nets, X1, X2)
