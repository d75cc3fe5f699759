"""Cox-Ingersoll-Ross short-rate model fitted to a zero-coupon yield curve: closed-form
A(tau), B(tau) with gamma = sqrt(kappa^2 + 2 sigma^2), model yields -log P / tau, a dataclass holding
the parameters with a method returning the curve, Feller-condition penalty via max(0, .)
and a weighted sum of squared yield errors in basis points.  Differentiated w.r.t. the dataclass
(kappa, theta, sigma, r0 as float fields)."""
from dataclasses import dataclass

import numpy as np


@dataclass
class CIR:
    kappa: float
    theta: float
    sigma: float
    r0: float

    def bond_price(self, tau):
        gamma = np.sqrt(self.kappa ** 2 + 2 * self.sigma ** 2)
        e = np.exp(gamma * tau) - 1.0
        denom = (gamma + self.kappa) * e + 2 * gamma
        A = (2 * gamma * np.exp((self.kappa + gamma) * tau / 2) / denom) ** (2 * self.kappa * self.theta / self.sigma ** 2)
        B = 2 * e / denom
        return A * np.exp(-B * self.r0)

    def yields(self, tau):
        return -np.log(self.bond_price(tau)) / tau


def calibration_loss(model, maturities, market_yields, weights):
    err_bp = (model.yields(maturities) - market_yields) * 1e4
    feller = max(0.0, model.sigma ** 2 - 2 * model.kappa * model.theta)
    return float(np.sum(weights * err_bp ** 2) / np.sum(weights)) + 1e4 * feller


maturities = np.array([0.25, 0.5, 1, 2, 3, 5, 7, 10, 20, 30.0])
market = np.array([4.9, 4.8, 4.6, 4.3, 4.15, 4.05, 4.1, 4.2, 4.45, 4.4]) / 100
weights = 1.0 / np.sqrt(maturities)
f = calibration_loss
ARGS = (CIR(kappa=0.4, theta=0.045, sigma=0.08, r0=0.05), maturities, market, weights)
