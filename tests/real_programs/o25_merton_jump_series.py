"""Calibrating Merton's jump-diffusion to a smile: the call price is the Poisson-weighted series of
Black-Scholes prices with adjusted rates and volatilities, summed to a fixed number of terms with
math.factorial; a helper taking **kwargs prices one term; the calibration loss is the vega-
weighted squared pricing error over strikes and maturities, w.r.t. (sigma, lambda, mu_J, delta_J)."""
import math

import numpy as np
from scipy.special import ndtr


def bs_call(S, K, T, r, sigma, **unused):
    sd = sigma * np.sqrt(T)
    d1 = (np.log(S / K) + (r + 0.5 * sigma ** 2) * T) / sd
    d2 = d1 - sd
    return S * ndtr(d1) - K * np.exp(-r * T) * ndtr(d2), S * np.sqrt(T) * np.exp(-0.5 * d1 ** 2) / np.sqrt(2 * np.pi)


def merton_call(S, K, T, r, sigma, lam, mu_j, delta_j, n_terms=12):
    kappa = np.exp(mu_j + 0.5 * delta_j ** 2) - 1.0
    lam_p = lam * (1.0 + kappa)
    price = 0.0
    for n in range(n_terms):
        sigma_n = np.sqrt(sigma ** 2 + n * delta_j ** 2 / T)
        r_n = r - lam * kappa + n * np.log(1.0 + kappa) / T
        weight = np.exp(-lam_p * T) * (lam_p * T) ** n / math.factorial(n)
        term, _ = bs_call(S=S, K=K, T=T, r=r_n, sigma=sigma_n, tag=n)
        price = price + weight * term
    return price


def calibration_loss(theta, S, strikes, maturities, market, r=0.02):
    sigma, lam, mu_j, delta_j = theta
    total = 0.0
    for T, row in zip(maturities, market):
        model = merton_call(S, strikes, T, r, sigma, lam, mu_j, delta_j)
        _, vega = bs_call(S, strikes, T, r, 0.2)
        total = total + np.sum(((model - row) / vega) ** 2)
    return total


strikes = np.array([80.0, 90.0, 100.0, 110.0, 120.0])
maturities = [0.25, 0.5, 1.0]
true = (0.18, 0.6, -0.12, 0.15)
market = [merton_call(100.0, strikes, T, 0.02, *true) * (1 + 0.002 * np.cos(strikes)) for T in maturities]
f = calibration_loss
ARGS = (np.array([0.2, 0.5, -0.1, 0.12]), 100.0, strikes, maturities, market)
