"""Fractional Kelly allocation over scenario returns: weights on assets plus cash from a softmax,
expected log growth over weighted scenarios, an entropy regulariser and a soft expected-shortfall
penalty on the worst decile of sorted wealth outcomes."""
import numpy as np


def softmax(z):
    e = np.exp(z - np.max(z))
    return e / e.sum()


def kelly_objective(logits, scenario_returns, probs, leverage=1.0, es_weight=2.0, tail=0.1):
    w = softmax(logits) * leverage
    w_assets, w_cash = w[:-1], w[-1]
    gross = w_cash * 1.0 + (1.0 + scenario_returns) @ w_assets
    growth = probs @ np.log(gross)
    entropy = -np.sum(w * np.log(w))
    k = int(np.ceil(tail * len(gross)))
    worst = np.sort(gross)[:k]
    shortfall = np.mean(np.maximum(1.0 - worst, 0.0))
    return -growth - 0.001 * entropy + es_weight * shortfall


rng = np.random.default_rng(605)
n_scen, n_assets = 200, 4
scenario_returns = 0.05 + 0.2 * rng.standard_normal((n_scen, n_assets)) * np.array([0.5, 1.0, 1.5, 0.8])
probs = np.full(n_scen, 1.0 / n_scen)
logits = np.array([0.3, 0.1, -0.5, 0.2, 0.0])

f = kelly_objective
ARGS = (logits, scenario_returns, probs)
