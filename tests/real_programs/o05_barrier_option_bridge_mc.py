"""Down-and-out barrier call priced by Monte Carlo under Black-Scholes with a Brownian-bridge
correction of the discrete monitoring (the probability that a path crossed the barrier between two
monitoring dates), so the estimate is smooth in the inputs.  Differentiated w.r.t. spot and
volatility: delta and vega of the pathwise estimator (draws from np.random after seeding)."""
import numpy as np

SEEDED = True


def simulate_log_paths(S0, sigma, r, T, n_steps, n_paths):
    dt = T / n_steps
    z = np.random.standard_normal((n_paths, n_steps))
    incr = (r - 0.5 * sigma ** 2) * dt + sigma * np.sqrt(dt) * z
    logS = np.log(S0) + np.cumsum(incr, axis=1)
    return np.concatenate([np.full((n_paths, 1), np.log(S0)), logS], axis=1), dt


def survival_prob(logS, log_barrier, sigma, dt):
    d0 = logS[:, :-1] - log_barrier
    d1 = logS[:, 1:] - log_barrier
    alive = (d0 > 0) & (d1 > 0)
    p_cross = np.exp(-2.0 * np.maximum(d0, 0.0) * np.maximum(d1, 0.0) / (sigma ** 2 * dt))
    step_survive = np.where(alive, 1.0 - p_cross, 0.0)
    return np.prod(step_survive, axis=1)


def barrier_price(S0, sigma, K=100.0, B=85.0, r=0.02, T=0.5, n_steps=26, n_paths=400):
    logS, dt = simulate_log_paths(S0, sigma, r, T, n_steps, n_paths)
    surv = survival_prob(logS, np.log(B), sigma, dt)
    payoff = np.maximum(np.exp(logS[:, -1]) - K, 0.0)
    return np.exp(-r * T) * np.mean(payoff * surv)


f = barrier_price
ARGS = (101.3, 0.23)
KW = {"wrt": ("S0", "sigma")}
