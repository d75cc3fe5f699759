"""Merton structural credit model: for each firm, equity value and equity volatility are matched by
solving for asset value V with a scalar Newton iteration (a while loop with an early return on
convergence) and a fixed-point for asset volatility; the default probability N(-d2) uses math.erf via
a lambda.  The portfolio expected loss is differentiated w.r.t. the firms' equity volatilities and
the debt levels given as a list of floats."""
import math

import numpy as np

norm_cdf = lambda x: 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))
norm_pdf = lambda x: math.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)


def bs_call(V, D, sigma, r, T):
    d1 = (math.log(V / D) + (r + 0.5 * sigma ** 2) * T) / (sigma * math.sqrt(T))
    d2 = d1 - sigma * math.sqrt(T)
    return V * norm_cdf(d1) - D * math.exp(-r * T) * norm_cdf(d2), d1, d2


def solve_asset_value(E, D, sigma_a, r, T, tol=1e-12):
    V = E + D
    for _ in range(50):
        c, d1, _ = bs_call(V, D, sigma_a, r, T)
        step = (c - E) / norm_cdf(d1)
        V = V - step
        if abs(step) < tol * V:
            return V
    return V


def default_probability(E, sigma_e, D, r=0.03, T=1.0, n_fixed=8):
    sigma_a = sigma_e * E / (E + D)
    for _ in range(n_fixed):
        V = solve_asset_value(E, D, sigma_a, r, T)
        _, d1, d2 = bs_call(V, D, sigma_a, r, T)
        sigma_a = sigma_e * E / (V * norm_cdf(d1))
    return norm_cdf(-d2)


def expected_loss(sigma_e, debts, equities, lgd=0.45):
    total = 0.0
    for i, (E, D) in enumerate(zip(equities, debts)):
        pd = default_probability(E, sigma_e[i], D)
        total += lgd * pd * D
    return total


equities = [40.0, 12.0, 75.0, 22.0]
debts = [60.0, 30.0, 50.0, 45.0]
sigma_e = np.array([0.45, 0.7, 0.3, 0.55])
f = expected_loss
KW = dict(wrt=("sigma_e", "debts"))
ARGS = (sigma_e, debts, equities)
