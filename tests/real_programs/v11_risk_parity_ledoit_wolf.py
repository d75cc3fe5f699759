"""Risk-parity portfolio: weights from a softmax of free logits, a shrunk covariance (np.cov of the
return history pulled towards a scaled identity, trace/n as the target), risk contributions
w_i (Sigma w)_i / sigma_p matched to a risk budget that defaults to equal (`budget=None`), plus a
small entropy term."""
import numpy as np


def shrunk_cov(returns, delta=0.3):
    S = np.cov(returns, rowvar=False)
    mu = np.trace(S) / S.shape[0]
    return (1 - delta) * S + delta * mu * np.eye(S.shape[0])


def risk_parity_objective(z, returns, budget=None, entropy_weight=0.01):
    w = np.exp(z - z.max())
    w = w / w.sum()
    Sigma = shrunk_cov(returns)
    port_vol = np.sqrt(w @ Sigma @ w)
    rc = w * (Sigma @ w) / port_vol
    target = budget if budget is not None else np.full_like(w, 1.0 / len(w))
    share = rc / rc.sum()
    return 1e3 * np.sum((share - target) ** 2) + entropy_weight * np.sum(w * np.log(w))


rng = np.random.default_rng(711)
vols = np.array([0.05, 0.10, 0.15, 0.20, 0.08])
corr = 0.3 + 0.7 * np.eye(5)
cov = corr * np.outer(vols, vols)
returns = rng.multivariate_normal(np.full(5, 0.005), cov / 12, size=60)
f = risk_parity_objective
ARGS = (np.array([0.5, 0.1, -0.2, -0.4, 0.2]), returns)
