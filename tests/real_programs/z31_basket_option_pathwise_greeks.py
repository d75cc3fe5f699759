"""Pathwise Greeks of a 3-asset basket call by Monte Carlo with common random numbers: the function
seeds its own Generator, draws correlated normals with rng.multivariate_normal (the correlation
matrix built from the differentiated pairwise correlations), terminal prices as S0 * lognormal
draws whose mean and sigma depend on the volatilities (rng.lognormal), and a smoothed payoff
(softplus with a small temperature).  Differentiating the price w.r.t. (S0, vols, corr) gives
delta, vega and correlation sensitivities."""
import numpy as np

R, T, K = 0.03, 1.0, 100.0
WEIGHTS = np.array([0.4, 0.35, 0.25])


def softplus(x, temp=0.5):
    return temp * np.logaddexp(0.0, x / temp)


def basket_price(S0, vols, corr, n_paths=2000, seed=11):
    rng = np.random.default_rng(seed)
    C = np.eye(3)
    C[0, 1] = C[1, 0] = corr[0]
    C[0, 2] = C[2, 0] = corr[1]
    C[1, 2] = C[2, 1] = corr[2]
    Z = rng.multivariate_normal(np.zeros(3), C, size=n_paths)
    ST = S0 * np.exp((R - 0.5 * vols ** 2) * T + vols * np.sqrt(T) * Z)
    # an independent idiosyncratic jump factor per path, as a lognormal multiplier
    jump = rng.lognormal(mean=-0.5 * (0.1 * vols[0]) ** 2, sigma=0.1 * vols[0], size=n_paths)
    basket = (ST @ WEIGHTS) * jump
    return np.exp(-R * T) * np.mean(softplus(basket - K))


f = basket_price
ARGS = (np.array([100.0, 95.0, 105.0]), np.array([0.2, 0.25, 0.3]), np.array([0.5, 0.3, 0.4]))
KW = {"wrt": ("S0", "vols", "corr")}
