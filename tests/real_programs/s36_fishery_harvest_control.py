"""Bioeconomic fishery model: logistic stock growth, harvest from a Cobb-Douglas catch function of
fishing effort, effort set by a two-parameter feedback rule clipped at zero and at fleet capacity,
annual Euler steps over a horizon, net present value of profit with a terminal stock value;
negative NPV w.r.t. the rule's parameters and the biology's uncertain growth rate."""
import numpy as np

BIO = {"K": 100.0, "q": 0.05, "alpha": 0.8}
ECON = {"price": 4.0, "cost": 2.5, "discount": 0.05, "capacity": 30.0}


def growth(stock, r, K=BIO["K"]):
    return r * stock * (1 - stock / K)


def catch(stock, effort, q=BIO["q"], alpha=BIO["alpha"]):
    return q * effort ** alpha * stock


def npv(rule, r=0.4, stock0=40.0, years=30):
    a, b = rule
    stock = stock0
    value = 0.0
    for year in range(years):
        effort = np.clip(a * (stock - b), 1e-3, ECON["capacity"])
        h = catch(stock, effort)
        profit = ECON["price"] * h - ECON["cost"] * effort
        value += profit / (1 + ECON["discount"]) ** year
        stock = stock + growth(stock, r) - h
    value += ECON["price"] * 0.5 * stock / (1 + ECON["discount"]) ** years
    return -value


f = npv
KW = dict(wrt=("rule", "r"))
ARGS = ((0.6, 22.0), 0.4)
