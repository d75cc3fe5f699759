"""Long-only portfolio optimisation by unrolled exponentiated-gradient (mirror descent on the
simplex): the mean-variance objective's gradient is computed in closed form, weights are updated by
w * exp(-eta * g) and renormalised in a for loop; the resulting portfolio's out-of-sample Sharpe ratio
(mean / std of realised returns with ddof=1) is the loss, differentiated w.r.t. the expected-return
estimates (a "smart beta" sensitivity).  Covariance from np.cov on a return history."""
import numpy as np


def optimise(mu, Sigma, risk_aversion=4.0, eta=2.0, iters=60):
    n = len(mu)
    w = np.full(n, 1.0 / n)
    for _ in range(iters):
        grad = risk_aversion * Sigma @ w - mu
        w = w * np.exp(-eta * grad)
        w = w / w.sum()
    return w


def neg_sharpe(mu, history, future):
    Sigma = np.cov(history, rowvar=False)
    w = optimise(mu, Sigma)
    realised = future @ w
    return -np.mean(realised) / np.std(realised, ddof=1) * np.sqrt(252)


rng = np.random.default_rng(12)
L = rng.standard_normal((6, 6)) * 0.01
hist = rng.standard_normal((250, 6)) @ L + 0.0004
fut = rng.standard_normal((120, 6)) @ L + np.linspace(0.0002, 0.0008, 6)
f = neg_sharpe
ARGS = (np.array([0.06, 0.05, 0.08, 0.04, 0.07, 0.05]) / 252 * 20, hist, fut)
