"""Interest-rate cap pricing with Black-76: discount factors bootstrapped from simply-compounded
deposit/forward rates with np.cumprod, forward rates per accrual period, caplet prices with
scipy.stats.norm.cdf, a flat-vol-by-tenor term structure read with np.interp, and the loss is the
squared pricing error of several caps (sum of caplets up to each maturity via np.cumsum) against
quotes.  Differentiated w.r.t. the vol term-structure nodes."""
import numpy as np
from scipy.stats import norm

DT = 0.25


def discount_curve(fwd_rates):
    return np.cumprod(1.0 / (1.0 + DT * fwd_rates))


def black_caplet(F, K, vol, T, df):
    sd = vol * np.sqrt(T)
    d1 = (np.log(F / K) + 0.5 * sd ** 2) / sd
    d2 = d1 - sd
    return df * DT * (F * norm.cdf(d1) - K * norm.cdf(d2))


def cap_pricing_error(vol_nodes, node_times, fwd_rates, strike, cap_quotes, cap_idx):
    dfs = discount_curve(fwd_rates)
    fixing = DT * np.arange(1, len(fwd_rates))          # caplet i fixes at t_i, pays at t_{i+1}
    F = fwd_rates[1:]
    vols = np.interp(fixing, node_times, vol_nodes)
    caplets = black_caplet(F, strike, vols, fixing, dfs[1:])
    caps = np.cumsum(caplets)[cap_idx]
    return float(np.sum(((caps - cap_quotes) / cap_quotes) ** 2))


fwd = 0.03 + 0.01 * (1 - np.exp(-np.arange(40) * DT / 3))
node_times = np.array([0.25, 1.0, 2.0, 5.0, 10.0])
cap_idx = np.array([3, 7, 19, 38])
quotes = np.array([0.0009, 0.0032, 0.0140, 0.036])
f = cap_pricing_error
ARGS = (np.array([0.30, 0.28, 0.25, 0.22, 0.20]), node_times, fwd, 0.035, quotes, cap_idx)
