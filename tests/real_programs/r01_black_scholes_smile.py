"""Calibrating a parametric implied-volatility smile sigma(k, T) = a + b k + c k^2 + d sqrt(T) to
market call prices with Black-Scholes; vega-like weights emphasise near-the-money quotes."""
import numpy as np
from scipy.special import ndtr


def bs_call(S, K, T, r, sigma):
    sqrtT = np.sqrt(T)
    d1 = (np.log(S / K) + (r + 0.5 * sigma ** 2) * T) / (sigma * sqrtT)
    d2 = d1 - sigma * sqrtT
    return S * ndtr(d1) - K * np.exp(-r * T) * ndtr(d2)


def smile(theta, k, T):
    a, b, c, d = theta
    return a + b * k + c * k ** 2 + d * np.sqrt(T)


def calibration_loss(theta, strikes, maturities, market, S0=100.0, rate=0.02):
    k = np.log(strikes / S0)
    vol = smile(theta, k, maturities)
    model = bs_call(S0, strikes, maturities, rate, vol)
    w = 1.0 / (1.0 + (k / 0.2) ** 2)
    return np.sum(w * (model - market) ** 2) / np.sum(w)


rng = np.random.default_rng(101)
K_grid, T_grid = np.meshgrid(np.linspace(70, 130, 7), np.array([0.25, 0.5, 1.0, 2.0]))
strikes, maturities = K_grid.ravel(), T_grid.ravel()
true_theta = np.array([0.18, -0.10, 0.25, 0.02])
market = bs_call(100.0, strikes, maturities, 0.02, smile(true_theta, np.log(strikes / 100.0), maturities))
market = market + 0.05 * rng.standard_normal(market.shape)

f = calibration_loss
ARGS = (np.array([0.22, 0.0, 0.1, 0.0]), strikes, maturities, market)

if __name__ == "__main__":
    print(calibration_loss(*ARGS))
