"""Long-only mean-variance portfolio with transaction costs: weights from a softmax over logits
(so they sum to one), expected return and variance from sample estimates (np.cov), a
pseudo-Huber turnover cost against current holdings, a sector exposure cap as a squared hinge
penalty, and the negative Sharpe-like utility."""
import numpy as np


def softmax(z):
    e = np.exp(z - z.max())
    return e / e.sum()


def portfolio_objective(logits, returns, holdings, sectors, risk_aversion=4.0, cost=0.002,
                        sector_cap=0.45, penalty=50.0):
    w = softmax(logits)
    mu = returns.mean(axis=0)
    Sigma = np.cov(returns, rowvar=False)
    exp_ret = w @ mu
    var = w @ Sigma @ w
    delta = w - holdings
    turnover = np.sum(np.sqrt(delta ** 2 + 1e-6) - 1e-3)
    sector_w = np.array([w[sectors == s].sum() for s in np.unique(sectors)])
    excess = np.maximum(sector_w - sector_cap, 0.0)
    return -(exp_ret - 0.5 * risk_aversion * var) + cost * turnover + penalty * np.sum(excess ** 2)


rng = np.random.default_rng(22)
T, n = 60, 8
factor = rng.standard_normal((T, 2))
loadings = rng.standard_normal((2, n))
returns = 0.01 + 0.02 * factor @ loadings / 2 + 0.03 * rng.standard_normal((T, n))
sectors = np.array([0, 0, 0, 1, 1, 2, 2, 2])
holdings = np.full(n, 1.0 / n)
logits = np.array([1.2, 0.9, 0.8, 0.1, -0.2, 0.3, 0.0, -0.4])
f = portfolio_objective
ARGS = (logits, returns, holdings, sectors)
