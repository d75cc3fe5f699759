"""Portfolio of stage-wise growth factors with itertools: accumulate(multiplicative returns) for
the wealth path, chain() of two parameter groups for a penalty, product() over scenario pairs for a
pairwise dispersion term, islice for a burn-in and pairwise for drawdown-like differences."""
import itertools
import operator

import numpy as np


def wealth_path(weights, returns):
    growth = [1.0 + float_r for float_r in (returns @ weights)]
    return list(itertools.accumulate(growth, operator.mul))


def objective(weights, hedge, returns, risk_aversion=2.0):
    path = wealth_path(weights, returns)
    after_burn = list(itertools.islice(path, 2, None))
    log_growth = np.log(path[-1])
    drops = sum(np.maximum(a - b, 0.0) ** 2 for a, b in itertools.pairwise(after_burn))
    disp = 0.0
    for i, j in itertools.product(range(3), range(3)):
        if i < j:
            disp = disp + (returns[i] @ weights - returns[j] @ weights) ** 2
    penalty = sum(p ** 2 for p in itertools.chain(weights, hedge))
    hedge_cost = np.sum(hedge * returns.mean(axis=0))
    return -log_growth + risk_aversion * drops + 0.1 * disp + 0.01 * penalty + hedge_cost


rng = np.random.default_rng(13)
returns = 0.01 + 0.05 * rng.standard_normal((10, 4))
weights = np.array([0.3, 0.2, 0.4, 0.1])
hedge = np.array([0.05, -0.02, 0.0, 0.01])

f = objective
ARGS = (weights, hedge, returns)
KW = {"wrt": ("weights", "hedge")}
