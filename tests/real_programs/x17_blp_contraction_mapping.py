"""BLP random-coefficients demand (Berry, Levinsohn & Pakes) for one market: simulated consumers
(drawn in the function from np.random.default_rng(seed)) have a random taste for price, market
shares are averaged logit probabilities, the mean utilities delta are recovered from observed
shares by the contraction delta <- delta + log(s_obs) - log(s_model) in a `for` loop that breaks when the
sup-norm change is below 1e-13, then a linear IV regression of delta on characteristics
(np.linalg.solve of the 2SLS normal equations) gives the GMM objective, differentiated w.r.t. the
price-taste dispersion sigma (a float)."""
import numpy as np


def shares(delta, sigma, price, nu):
    mu = sigma * np.outer(price, nu)  # (J, R)
    u = delta[:, None] + mu
    eu = np.exp(u)
    return np.mean(eu / (1.0 + eu.sum(axis=0, keepdims=True)), axis=1)


def invert_shares(s_obs, sigma, price, nu, tol=1e-13, max_iter=1000):
    delta = np.log(s_obs) - np.log(1.0 - s_obs.sum())
    for _ in range(max_iter):
        new = delta + np.log(s_obs) - np.log(shares(delta, sigma, price, nu))
        diff = np.max(np.abs(new - delta))
        delta = new
        if diff < tol:
            break
    return delta


def gmm_objective(sigma, s_obs, X, Z, price, seed=0, n_draws=200):
    rng = np.random.default_rng(seed)
    nu = rng.standard_normal(n_draws)
    delta = invert_shares(s_obs, sigma, price, nu)
    W = np.linalg.inv(Z.T @ Z)
    XZ = X.T @ Z
    beta = np.linalg.solve(XZ @ W @ XZ.T, XZ @ W @ Z.T @ delta)
    xi = delta - X @ beta
    g = Z.T @ xi / len(xi)
    return g @ W @ g * len(xi)


rng = np.random.default_rng(1717)
J = 12
x_char = rng.standard_normal(J)
cost = rng.standard_normal(J)
price = 2.0 + 0.5 * x_char + 0.4 * cost + 0.1 * rng.standard_normal(J)
X = np.column_stack([np.ones(J), x_char, price])
Z = np.column_stack([np.ones(J), x_char, cost, x_char ** 2])
xi_true = 0.2 * rng.standard_normal(J)
delta_true = X @ np.array([-1.0, 1.0, -1.2]) + xi_true
nu_true = np.random.default_rng(0).standard_normal(200)
s_obs = shares(delta_true, 0.6, price, nu_true)
f = gmm_objective
ARGS = (0.5, s_obs, X, Z, price)
