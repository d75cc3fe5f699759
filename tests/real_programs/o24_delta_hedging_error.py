"""Discrete delta hedging of a short European call under geometric Brownian motion: the hedger
uses Black-Scholes deltas at an assumed volatility, rebalances weekly, and the loss is the mean
squared terminal hedging error plus a transaction-cost term, differentiated w.r.t. the hedging
volatility and the premium charged (simulated paths from np.random after seeding)."""
import numpy as np
from scipy.special import ndtr

SEEDED = True


def bs_delta(S, K, tau, r, sigma):
    d1 = (np.log(S / K) + (r + 0.5 * sigma ** 2) * tau) / (sigma * np.sqrt(tau))
    return ndtr(d1)


def hedge_error(sigma_h, premium, S0=100.0, K=102.0, r=0.01, sigma_true=0.25, T=0.25,
                n_reb=13, n_paths=300, cost=5e-4):
    dt = T / n_reb
    S = np.full(n_paths, S0)
    cash = np.full(n_paths, premium)
    delta = np.zeros(n_paths)
    fees = np.zeros(n_paths)
    for k in range(n_reb):
        tau = T - k * dt
        new_delta = bs_delta(S, K, tau, r, sigma_h)
        trade = new_delta - delta
        cash = cash - trade * S
        fees = fees + cost * np.sqrt(trade ** 2 * S ** 2 + 1e-6)
        delta = new_delta
        z = np.random.standard_normal(n_paths)
        cash = cash * np.exp(r * dt)
        S = S * np.exp((r - 0.5 * sigma_true ** 2) * dt + sigma_true * np.sqrt(dt) * z)
    pnl = cash + delta * S - np.maximum(S - K, 0.0) - fees
    return np.mean(pnl ** 2) + 0.1 * np.mean(fees)


f = hedge_error
ARGS = (0.22, 4.1)
KW = {"wrt": ("sigma_h", "premium")}
