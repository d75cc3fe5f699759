"""Cox proportional-hazards partial likelihood (Breslow, no ties) with an elastic-net penalty:
subjects sorted by time, risk-set sums as reverse cumulative sums of exp(eta), censoring mask."""
import numpy as np

def cox_neg_partial_loglik(beta, X, time, event, l1=0.01, l2=0.1):
    order = np.argsort(-time)          # descending time: the risk set of i is 0..i
    Xs, ev = X[order], event[order]
    eta = Xs @ beta
    m = eta.max()
    risk = np.log(np.cumsum(np.exp(eta - m))) + m
    ll = np.sum((eta - risk) * ev)
    pen = l1 * np.sum(np.sqrt(beta ** 2 + 1e-8)) + 0.5 * l2 * beta @ beta
    return -ll / ev.sum() + pen

rng = np.random.default_rng(39)
N, D = 30, 4
X = rng.standard_normal((N, D))
time = rng.exponential(np.exp(-X @ np.array([0.5, -0.5, 0.2, 0.0])))
event = (rng.random(N) < 0.7).astype(float)
f = cox_neg_partial_loglik
ARGS = (0.1 * rng.standard_normal(D), X, time, event)
EXTRA = ["hessian"]
