"""Bootstrapping a forward-rate curve from coupon bond prices: discount factors via
itertools.accumulate with a lambda and initial=, bonds in a dict iterated with sorted(key=...),
zip(*pairs) to split coupons and maturities, cheapest-to-deliver picked with min(key=...),
a worst-error term with max(), and a smoothness penalty over itertools.pairwise."""
from itertools import accumulate, pairwise

import numpy as np


def discount_factors(fwd):
    return list(accumulate(fwd, lambda acc, r: acc / (1.0 + r), initial=1.0))[1:]


def bond_pv(coupon, maturity, dfs, face=100.0):
    cashflows = [coupon] * (maturity - 1) + [coupon + face]
    return sum(cf * df for cf, df in zip(cashflows, dfs))


def curve_loss(fwd, bonds, prices, deliverable, conversion, futures_price):
    dfs = discount_factors(fwd)
    errors = []
    for name, (coupon, maturity) in sorted(bonds.items(), key=lambda kv: kv[1][1]):
        errors.append((bond_pv(coupon, maturity, dfs) - prices[name]) ** 2)
    coupons, maturities = zip(*[bonds[n] for n in deliverable])
    ctd = min(range(len(deliverable)), key=lambda i: bond_pv(coupons[i], maturities[i], dfs) / conversion[i])
    basis = bond_pv(coupons[ctd], maturities[ctd], dfs) / conversion[ctd] - futures_price
    smooth = sum((b - a) ** 2 for a, b in pairwise(fwd))
    return sum(errors) / len(errors) + 0.1 * max(errors) + basis ** 2 + 100.0 * smooth


bonds = {"T2": (2.0, 2), "T5": (3.0, 5), "T3": (2.5, 3), "T7": (3.5, 7), "T10": (4.0, 10), "T1": (1.5, 1)}
true_fwd = 0.02 + 0.002 * np.arange(10) - 0.0001 * np.arange(10) ** 2
prices = {}
for n, (c, m) in bonds.items():
    prices[n] = bond_pv(c, m, discount_factors(true_fwd)) + 0.05 * (len(n) % 3 - 1)
deliverable = ["T7", "T10", "T5"]
conversion = [0.98, 1.04, 0.96]
fwd = np.full(10, 0.025)

f = curve_loss
ARGS = (fwd, bonds, prices, deliverable, conversion, 100.5)
