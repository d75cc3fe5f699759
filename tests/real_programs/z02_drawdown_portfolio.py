"""Long-only portfolio construction with softmax weights over 6 assets: the objective trades off the
Sortino ratio, the maximum drawdown of the compounded wealth path (running peak by
np.maximum.accumulate), historical CVaR at 95% (returns at or below the 5th percentile), the
sample-covariance variance (np.cov) and turnover against yesterday's weights.  Differentiated
w.r.t. the weight logits."""
import numpy as np

W_PREV = np.array([0.25, 0.2, 0.15, 0.15, 0.15, 0.1])
RF = 0.0001


def weights(logits):
    w = np.exp(logits - logits.max())
    w /= w.sum()
    return w


def max_drawdown(port):
    wealth = np.cumprod(1.0 + port)
    peak = np.maximum.accumulate(wealth)
    drawdown = 1.0 - wealth / peak
    return drawdown.max()


def objective(logits, R, lam_dd=4.0, lam_cvar=2.0, lam_var=50.0, lam_turn=0.05):
    w = weights(logits)
    port = R @ w
    downside = np.minimum(port - RF, 0.0)
    sortino = (port.mean() - RF) / np.sqrt(np.mean(downside ** 2)) * np.sqrt(252)
    sharpe = (port.mean() - RF) / port.std(ddof=1)
    var95 = np.percentile(port, 5)
    tail = port[port <= var95]
    cvar = -tail.mean()
    cov = np.cov(R, rowvar=False)
    variance = w @ cov @ w
    turnover = np.abs(w - W_PREV).sum()
    return (-sortino - 0.1 * sharpe + lam_dd * max_drawdown(port) + lam_cvar * cvar
            + lam_var * variance + lam_turn * turnover)


rng = np.random.default_rng(2)
mu = np.array([0.0004, 0.0003, 0.0005, 0.0002, 0.0006, 0.0001])
L = rng.standard_normal((6, 6)) * 0.004
R = mu + rng.standard_normal((250, 6)) @ L.T
f = objective
ARGS = (0.3 * rng.standard_normal(6), R)
