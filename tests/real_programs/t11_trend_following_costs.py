"""Trend-following strategy with transaction costs: positions are tanh of a linear score on
moving-average features (built with the cumsum trick), P&L pays proportional costs on
np.abs(np.diff(positions)), and the objective trades off a Sharpe ratio against the maximum
drawdown from np.maximum.accumulate."""
import numpy as np


def moving_average(x, w):
    c = np.cumsum(np.insert(x, 0, 0.0))
    return (c[w:] - c[:-w]) / w


def features(logp, windows=(5, 10, 20)):
    L = max(windows)
    cols = []
    for w in windows:
        ma = moving_average(logp, w)
        cols.append(logp[L - 1:] - ma[L - w:])
    rets = np.diff(logp)
    vol = np.sqrt(moving_average(rets ** 2, 10))
    cols.append(vol[L - 11:] * 10)
    return np.column_stack(cols)


def objective(w, bias, prices, cost=5e-4, dd_weight=2.0):
    logp = np.log(prices)
    X = features(logp)
    pos = np.tanh(X @ w + bias)
    rets = np.diff(logp)[-(len(pos) - 1):]
    trades = np.abs(np.diff(pos, prepend=0.0))
    pnl = pos[:-1] * rets - cost * trades[:-1]
    equity = np.cumsum(pnl)
    drawdown = np.maximum.accumulate(equity) - equity
    sharpe = pnl.mean() / (pnl.std() + 1e-8) * np.sqrt(252)
    return -sharpe + dd_weight * drawdown.max()


rng = np.random.default_rng(511)
n = 160
drift = 0.0005 + 0.002 * np.sin(np.arange(n) / 15.0)
prices = 100 * np.exp(np.cumsum(drift + 0.01 * rng.standard_normal(n)))

f = objective
KW = {"wrt": ("w", "bias")}
ARGS = (np.array([20.0, -5.0, 3.0, -0.5]), 0.05, prices)
