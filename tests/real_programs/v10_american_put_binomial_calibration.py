"""American put prices from a Cox-Ross-Rubinstein binomial tree (backward induction with slices and
an early-exercise np.maximum at every level), calibrated to market prices by a parametric volatility
term structure sigma(T) = a + b exp(-c T); the error accumulated over options with `err +=`."""
import numpy as np


def crr_american_put(S0, K, T, r, sigma, n=40):
    dt = T / n
    u = np.exp(sigma * np.sqrt(dt))
    d = 1.0 / u
    p = (np.exp(r * dt) - d) / (u - d)
    disc = np.exp(-r * dt)
    j = np.arange(n + 1)
    S = S0 * u ** (n - j) * d ** j
    V = np.maximum(K - S, 0.0)
    for i in range(n - 1, -1, -1):
        S = S[:-1] / u
        V = disc * (p * V[:-1] + (1 - p) * V[1:])
        V = np.maximum(V, K - S)
    return V[0]


def calibration_loss(vol_params, strikes, maturities, market, S0=100.0, r=0.03):
    a, b, c = vol_params
    err = 0.0
    for K, T, price in zip(strikes, maturities, market):
        sig = a + b * np.exp(-c * T)
        model = crr_american_put(S0, K, T, r, sig)
        err += (model - price) ** 2
    return err


strikes = np.array([90.0, 100.0, 110.0, 95.0, 105.0, 100.0])
maturities = np.array([0.25, 0.25, 0.25, 1.0, 1.0, 2.0])
market = np.array([crr_american_put(100.0, K, T, 0.03, 0.18 + 0.1 * np.exp(-1.5 * T))
                   for K, T in zip(strikes, maturities)]) + np.array([0.02, -0.01, 0.03, 0.0, -0.02, 0.01])
f = calibration_loss
ARGS = (np.array([0.2, 0.08, 1.2]), strikes, maturities, market)
