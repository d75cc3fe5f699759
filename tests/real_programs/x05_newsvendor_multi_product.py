"""Multi-product newsvendor with a shared budget: products live in a dict keyed by SKU with
price/cost/salvage records (plain dicts), demand scenarios are drawn from numpy's global generator
(lognormal via np.exp of np.random.normal) inside the function, the expected profit uses a
smoothed max(0, .) (softplus with a temperature) for leftovers and shortages, a quadratic penalty
when total spend exceeds the budget (`if spend > budget` branch), and the order quantities arrive as
a dict of floats; negative expected profit, differentiated w.r.t. the order dict."""
import numpy as np

PRODUCTS = {
    "umbrella": {"price": 12.0, "cost": 5.0, "salvage": 1.0, "mu": 3.0, "sigma": 0.4},
    "sunscreen": {"price": 9.0, "cost": 3.5, "salvage": 0.5, "mu": 3.4, "sigma": 0.3},
    "hat": {"price": 20.0, "cost": 11.0, "salvage": 4.0, "mu": 2.5, "sigma": 0.6},
}


def softplus(x, temp):
    return temp * np.logaddexp(0.0, x / temp)


def neg_expected_profit(orders, budget=350.0, n_scen=500, temp=0.5):
    total = 0.0
    spend = 0.0
    for sku in sorted(PRODUCTS):
        info = PRODUCTS[sku]
        q = orders[sku]
        demand = np.exp(np.random.normal(info["mu"], info["sigma"], size=n_scen))
        sold = q - softplus(q - demand, temp)
        leftover = softplus(q - demand, temp)
        profit = info["price"] * sold + info["salvage"] * leftover - info["cost"] * q
        total = total + np.mean(profit)
        spend = spend + info["cost"] * q
    if spend > budget:
        total = total - 0.5 * (spend - budget) ** 2
    return -total


f = neg_expected_profit
ARGS = ({"umbrella": 22.0, "sunscreen": 31.0, "hat": 14.0},)
SEEDED = True
