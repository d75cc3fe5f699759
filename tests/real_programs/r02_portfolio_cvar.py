"""Long-only portfolio choice: softmax-parameterised weights, mean-variance utility plus a
historical-simulation CVaR penalty (mean of the worst 10% scenario losses) and a smoothed
turnover cost against the current holdings."""
import numpy as np
from dataclasses import dataclass

RISK_AVERSION = 3.0
ALPHA = 0.1
TURNOVER_COST = 0.01


@dataclass
class Market:
    mu: np.ndarray
    cov: np.ndarray
    scenarios: np.ndarray


def weights_from_logits(z):
    e = np.exp(z - z.max())
    return e / e.sum()


def cvar(returns, alpha=ALPHA):
    losses = np.sort(-returns)[::-1]
    k = int(np.ceil(alpha * len(losses)))
    return losses[:k].mean()


def objective(z, market, current):
    w = weights_from_logits(z)
    ret = w @ market.mu
    var = w @ market.cov @ w
    tail = cvar(market.scenarios @ w)
    turnover = np.sum(np.sqrt((w - current) ** 2 + 1e-8))
    return -(ret - 0.5 * RISK_AVERSION * var) + 0.5 * tail + TURNOVER_COST * turnover


rng = np.random.default_rng(102)
n_assets = 6
A = rng.standard_normal((n_assets, n_assets)) * 0.05
cov = A @ A.T + 0.01 * np.eye(n_assets)
mu = rng.uniform(0.02, 0.12, n_assets)
scenarios = rng.multivariate_normal(mu / 12, cov / 12, size=250)
market = Market(mu=mu, cov=cov, scenarios=scenarios)
current = np.full(n_assets, 1.0 / n_assets)

f = objective
ARGS = (0.3 * rng.standard_normal(n_assets), market, current)
