"""Age-structured SEIR epidemic: three age groups mixing through a contact matrix, RK4 steps of the
matrix ODE, daily incidence per age group fitted to case counts with a Poisson likelihood and a
reporting fraction; parameters in a dict on log/logit scales."""
import numpy as np
from scipy.special import expit, gammaln


def rhs(y, beta, C, N, sigma, gamma):
    S, E, I, R = y
    force = beta * (C @ (I / N))
    new_inf = force * S
    return np.array([-new_inf, new_inf - sigma * E, sigma * E - gamma * I, gamma * I])


def simulate(params, C, N, I0, days=30, sub=2):
    beta = np.exp(params["log_beta"])
    sigma = 1.0 / np.exp(params["log_latent"])
    gamma = 1.0 / np.exp(params["log_infectious"])
    y = np.stack([N - I0, np.zeros_like(N), I0, np.zeros_like(N)])
    h = 1.0 / sub
    incidence = []
    for day in range(days):
        start_S = y[0].copy()
        for _ in range(sub):
            k1 = rhs(y, beta, C, N, sigma, gamma)
            k2 = rhs(y + 0.5 * h * k1, beta, C, N, sigma, gamma)
            k3 = rhs(y + 0.5 * h * k2, beta, C, N, sigma, gamma)
            k4 = rhs(y + h * k3, beta, C, N, sigma, gamma)
            y = y + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        incidence.append(start_S - y[0])
    return np.array(incidence)


def neg_log_lik(params, cases, C, N, I0):
    rho = expit(params["logit_report"])
    lam = rho * simulate(params, C, N, I0) + 1e-6
    return -np.sum(cases * np.log(lam) - lam - gammaln(cases + 1))


C = np.array([[8.0, 3.0, 1.0], [3.0, 6.0, 1.5], [1.0, 1.5, 3.0]])
N = np.array([2.0e5, 5.0e5, 3.0e5])
I0 = np.array([5.0, 20.0, 5.0])
true = {"log_beta": np.log(0.06), "log_latent": np.log(3.0), "log_infectious": np.log(5.0),
        "logit_report": 0.0}
rng = np.random.default_rng(509)
cases = rng.poisson(0.5 * simulate(true, C, N, I0)).astype(float)
params = {"log_beta": np.log(0.05), "log_latent": np.log(3.5), "log_infectious": np.log(4.5),
          "logit_report": -0.3}

f = neg_log_lik
ARGS = (params, cases, C, N, I0)
