"""Collaborative filtering by biased matrix factorization on a partially observed rating matrix:
unobserved residuals are zeroed in place with a boolean mask, L2 on factors and biases via a
dict comprehension over the parameter dict."""
import numpy as np

REG = {"U": 0.05, "V": 0.05, "bu": 0.01, "bi": 0.01}


def predict(params, mu):
    return mu + params["bu"][:, None] + params["bi"][None, :] + params["U"] @ params["V"].T


def mf_loss(params, R, mask, mu):
    err = R - predict(params, mu)
    err[~mask] = 0.0
    data = np.sum(err ** 2) / mask.sum()
    penalties = {k: REG[k] * np.sum(v ** 2) for k, v in params.items()}
    return data + sum(penalties.values())


rng = np.random.default_rng(130)
n_users, n_items, k = 15, 12, 3
U_true, V_true = rng.standard_normal((n_users, k)), rng.standard_normal((n_items, k))
R = np.clip(3.5 + U_true @ V_true.T * 0.6 + 0.3 * rng.standard_normal((n_users, n_items)), 1, 5)
mask = rng.uniform(size=R.shape) < 0.35
R[~mask] = np.nan
mu = np.nanmean(R)
params = {"U": 0.1 * rng.standard_normal((n_users, k)), "V": 0.1 * rng.standard_normal((n_items, k)),
          "bu": np.zeros(n_users), "bi": np.zeros(n_items)}

f = mf_loss
ARGS = (params, R, mask, mu)
