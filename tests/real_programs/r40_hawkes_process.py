"""Maximum likelihood for a univariate Hawkes process with an exponential kernel, using Ogata's
O(n) recursion for the excitation; scalar work inside the loop is done with the math module as
one would in plain Python."""
import math
import numpy as np


def hawkes_nll(params, times, T):
    mu = math.exp(params["log_mu"])
    alpha = math.exp(params["log_alpha"])
    beta = math.exp(params["log_beta"])
    loglik = 0.0
    A = 0.0
    prev = None
    for t in times:
        if prev is not None:
            A = math.exp(-beta * (t - prev)) * (1.0 + A)
        loglik += math.log(mu + alpha * beta * A)
        prev = t
    compensator = mu * T + alpha * np.sum(1.0 - np.exp(-beta * (T - times)))
    return -(loglik - compensator) / len(times)


def simulate(mu, alpha, beta, T, rng):
    times, t = [], 0.0
    while True:
        lam_bar = mu + alpha * beta * sum(math.exp(-beta * (t - s)) for s in times) + alpha * beta
        t += rng.exponential(1.0 / lam_bar)
        if t > T:
            break
        lam_t = mu + alpha * beta * sum(math.exp(-beta * (t - s)) for s in times)
        if rng.uniform() * lam_bar <= lam_t:
            times.append(t)
    return np.array(times)


rng = np.random.default_rng(140)
T_END = 60.0
times = simulate(0.8, 0.5, 1.5, T_END, rng)
f = hawkes_nll
ARGS = ({"log_mu": math.log(0.6), "log_alpha": math.log(0.4), "log_beta": math.log(1.2)}, times, T_END)
