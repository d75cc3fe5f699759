"""Heston stochastic-volatility calibration by the characteristic-function (Gil-Pelaez / Heston
1993 P1-P2) pricing formula: complex arithmetic (1j*u, np.sqrt and np.log of complex arrays, the
"little trap" form of Albrecher et al.), the integrals by the trapezoid rule on a u grid, European
calls at five strikes compared with market quotes in a relative squared error; Feller condition as
a soft penalty.  Differentiated w.r.t. the parameter vector (kappa, theta, sigma, rho, v0)."""
import numpy as np

S0, R, T = 100.0, 0.02, 0.75
STRIKES = np.array([85.0, 95.0, 100.0, 105.0, 115.0])
MARKET = np.array([18.9, 11.3, 8.1, 5.5, 2.1])
U = np.linspace(1e-4, 80.0, 800)


def char_fn(u, p, kappa, theta, sigma, rho, v0):
    # Heston (1993) P_j integrand characteristic functions, j = 1, 2 via (u_j, b_j)
    x = np.log(S0)
    if p == 1:
        uj, bj = 0.5, kappa - rho * sigma
    else:
        uj, bj = -0.5, kappa
    a = kappa * theta
    iu = 1j * u
    d = np.sqrt((rho * sigma * iu - bj) ** 2 - sigma ** 2 * (2 * uj * iu - u ** 2))
    g = (bj - rho * sigma * iu - d) / (bj - rho * sigma * iu + d)
    C = R * iu * T + a / sigma ** 2 * ((bj - rho * sigma * iu - d) * T
                                       - 2.0 * np.log((1.0 - g * np.exp(-d * T)) / (1.0 - g)))
    D = (bj - rho * sigma * iu - d) / sigma ** 2 * (1.0 - np.exp(-d * T)) / (1.0 - g * np.exp(-d * T))
    return np.exp(C + D * v0 + iu * x)


def heston_call(K, params):
    kappa, theta, sigma, rho, v0 = params
    probs = []
    for p in (1, 2):
        phi = char_fn(U, p, kappa, theta, sigma, rho, v0)
        integrand = np.real(np.exp(-1j * U * np.log(K)) * phi / (1j * U))
        probs.append(0.5 + np.trapezoid(integrand, U) / np.pi)
    P1, P2 = probs
    return S0 * P1 - K * np.exp(-R * T) * P2


def calib_loss(params, strikes, market):
    kappa, theta, sigma = params[0], params[1], params[2]
    err = 0.0
    for K, mkt in zip(strikes, market):
        err += ((heston_call(K, params) - mkt) / mkt) ** 2
    feller = np.maximum(sigma ** 2 - 2 * kappa * theta, 0.0)
    return err + 10.0 * feller ** 2


f = calib_loss
ARGS = (np.array([1.8, 0.045, 0.45, -0.6, 0.04]), STRIKES, MARKET)
