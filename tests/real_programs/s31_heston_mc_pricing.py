"""Monte Carlo calibration of the Heston stochastic-volatility model: correlated Brownian increments
drawn with np.random.standard_normal inside the pricer, Euler scheme with full truncation of the
variance (np.maximum(v, 0)), log-price dynamics, discounted call payoffs for several strikes, and a
squared error against market prices; w.r.t. (kappa, theta, xi, rho, v0)."""
import numpy as np


def heston_paths(p, S0, r, T, n_steps, n_paths):
    kappa, theta, xi, rho, v0 = p["kappa"], p["theta"], p["xi"], p["rho"], p["v0"]
    dt = T / n_steps
    logS = np.full(n_paths, np.log(S0))
    v = np.full(n_paths, v0)
    for _ in range(n_steps):
        z1 = np.random.standard_normal(n_paths)
        z2 = rho * z1 + np.sqrt(1 - rho ** 2) * np.random.standard_normal(n_paths)
        v_pos = np.maximum(v, 0.0)
        logS = logS + (r - 0.5 * v_pos) * dt + np.sqrt(v_pos * dt) * z1
        v = v + kappa * (theta - v_pos) * dt + xi * np.sqrt(v_pos * dt) * z2
    return np.exp(logS)


def calibration_error(p, strikes, market, S0=100.0, r=0.01, T=0.5):
    ST = heston_paths(p, S0, r, T, n_steps=20, n_paths=400)
    payoff = np.maximum(ST[:, None] - strikes[None, :], 0.0)
    model = np.exp(-r * T) * payoff.mean(axis=0)
    return np.sum((model - market) ** 2)


strikes = np.array([90.0, 95.0, 100.0, 105.0, 110.0])
market = np.array([12.1, 8.3, 5.2, 2.9, 1.4])
p = {"kappa": 1.5, "theta": 0.04, "xi": 0.3, "rho": -0.6, "v0": 0.05}
f = calibration_error
SEEDED = True
ARGS = (p, strikes, market)
