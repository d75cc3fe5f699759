"""Monte-Carlo price of an arithmetic-average Asian call under geometric Brownian motion with
antithetic variates; the gradient w.r.t. the market dict gives pathwise delta, vega and rho."""
import math

import numpy as np


def asian_call_price(market, K=100.0, T=1.0, n_steps=12, n_paths=2000):
    S0, sigma, r = market["S0"], market["sigma"], market["r"]
    dt = T / n_steps
    z = np.random.standard_normal((n_paths // 2, n_steps))
    z = np.concatenate([z, -z])
    log_increments = (r - 0.5 * sigma ** 2) * dt + sigma * math.sqrt(dt) * z
    paths = S0 * np.exp(np.cumsum(log_increments, axis=1))
    average = paths.mean(axis=1)
    payoff = np.maximum(average - K, 0.0)
    return math.exp(-r * T) * payoff.mean()


market = {"S0": 102.0, "sigma": 0.25, "r": 0.03}
f = asian_call_price
ARGS = (market,)
SEEDED = True
