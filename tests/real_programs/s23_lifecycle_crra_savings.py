"""Life-cycle consumption-savings: a household chooses a consumption share of cash on hand each
period (a sigmoid of a free parameter), wealth evolves with a gross return and an income profile
(hump-shaped, then a pension), CRRA utility discounted by beta, bequest utility at the end; the
negative lifetime utility is minimised over the consumption rule."""
import numpy as np

PARAMS = {"beta": 0.96, "gamma": 2.0, "R": 1.03, "bequest": 2.0, "retire_at": 40, "T": 55}


def income(t, p=PARAMS):
    if t >= p["retire_at"]:
        return 0.6
    age = 25 + t
    return np.exp(0.05 * (age - 25) - 0.0006 * (age - 25) ** 2)


def crra(c, gamma):
    if gamma == 1.0:
        return np.log(c)
    return (c ** (1 - gamma) - 1) / (1 - gamma)


def lifetime_utility(theta, w0=1.0, p=PARAMS):
    wealth = w0
    total = 0.0
    discount = 1.0
    for t in range(p["T"]):
        cash = wealth + income(t)
        share = 1.0 / (1.0 + np.exp(-theta[t]))
        c = share * cash
        total += discount * crra(c, p["gamma"])
        wealth = p["R"] * (cash - c)
        discount *= p["beta"]
    total += discount * p["bequest"] * crra(wealth + 1e-3, p["gamma"])
    return -total


theta0 = np.linspace(-1.5, 0.5, PARAMS["T"])
f = lifetime_utility
ARGS = (theta0,)
