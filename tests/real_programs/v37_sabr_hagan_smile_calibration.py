"""Calibrating Hagan's SABR implied-volatility formula (beta fixed at 0.5) to a market smile that
includes the at-the-money strike: z/x(z) taken with the double-np.where trick so that 0/0 at the
money is never evaluated, rho through tanh and alpha/nu through exp of free parameters; vega-style
weights on the squared volatility errors."""
import numpy as np


def sabr_vol(F, K, T, alpha, beta, rho, nu, eps=1e-7):
    log_fk = np.log(F / K)
    fk_beta = (F * K) ** ((1 - beta) / 2)
    z = nu / alpha * fk_beta * log_fk
    x = np.log((np.sqrt(1 - 2 * rho * z + z ** 2) + z - rho) / (1 - rho))
    small = np.abs(z) < eps
    z_over_x = np.where(small, 1.0, z / np.where(small, 1.0, x))
    denom = fk_beta * (1 + (1 - beta) ** 2 / 24 * log_fk ** 2 + (1 - beta) ** 4 / 1920 * log_fk ** 4)
    correction = 1 + ((1 - beta) ** 2 / 24 * alpha ** 2 / fk_beta ** 2
                      + rho * beta * nu * alpha / (4 * fk_beta)
                      + (2 - 3 * rho ** 2) / 24 * nu ** 2) * T
    return alpha / denom * z_over_x * correction


def calibration_error(theta, strikes, F, T, market_vols, weights):
    alpha, rho, nu = np.exp(theta[0]), np.tanh(theta[1]), np.exp(theta[2])
    model = sabr_vol(F, strikes, T, alpha, 0.5, rho, nu)
    return np.sum(weights * (model - market_vols) ** 2) * 1e4


F, T = 0.03, 2.0
strikes = F * np.array([0.6, 0.75, 0.9, 1.0, 1.1, 1.25, 1.5])
market_vols = sabr_vol(F, strikes, T, 0.035, 0.5, -0.3, 0.45) + np.array([0.001, -0.0005, 0.0, 0.0002, 0.0, 0.0007, -0.001])
weights = np.exp(-0.5 * np.log(strikes / F) ** 2 / 0.2 ** 2)
f = calibration_error
ARGS = (np.array([np.log(0.03), np.arctanh(-0.2), np.log(0.5)]), strikes, F, T, market_vols, weights)
