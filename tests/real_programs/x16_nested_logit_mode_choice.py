"""Nested logit model of commuter mode choice: alternatives grouped into nests (a dict of nest name
-> list of alternative names), systematic utilities linear in trip attributes with
alternative-specific constants (a dict keyed by mode, the reference mode fixed at 0 via
.get(mode, 0.0)), each nest's inclusive value is lam * logsumexp(V / lam) computed with
scipy.special.logsumexp over the nest's columns, and choice probabilities are the product of the
nest and within-nest logits; negative log-likelihood over observed choices (integer mode indices),
differentiated w.r.t. betas, constants and nest scale parameters together in one dict."""
import numpy as np
from scipy.special import logsumexp

MODES = ["car", "carpool", "bus", "rail", "bike"]
NESTS = {"auto": ["car", "carpool"], "transit": ["bus", "rail"], "active": ["bike"]}


def utilities(params, time, cost):
    V = {}
    for j, mode in enumerate(MODES):
        V[mode] = params["asc"].get(mode, 0.0) + params["b_time"] * time[:, j] + params["b_cost"] * cost[:, j]
    return V


def log_probs(params, time, cost):
    V = utilities(params, time, cost)
    iv = {}
    for nest, alts in NESTS.items():
        lam = params["lam"][nest]
        iv[nest] = lam * logsumexp(np.stack([V[m] / lam for m in alts], axis=1), axis=1)
    denom = logsumexp(np.stack(list(iv.values()), axis=1), axis=1)
    out = []
    for mode in MODES:
        nest = next(n for n, alts in NESTS.items() if mode in alts)
        lam = params["lam"][nest]
        within = V[mode] / lam - iv[nest] / lam
        out.append(within + iv[nest] - denom)
    return np.stack(out, axis=1)


def nll(params, time, cost, choice):
    lp = log_probs(params, time, cost)
    return -np.mean(lp[np.arange(len(choice)), choice])


rng = np.random.default_rng(1616)
N = 200
time = rng.uniform(10, 60, (N, 5)) / 60
cost = rng.uniform(0, 8, (N, 5))
choice = rng.integers(0, 5, N)
params = {"b_time": -1.0, "b_cost": -0.2,
          "asc": {"carpool": -0.5, "bus": -0.3, "rail": 0.1, "bike": -1.0},
          "lam": {"auto": 0.7, "transit": 0.8, "active": 1.0}}
f = nll
ARGS = (params, time, cost, choice)
