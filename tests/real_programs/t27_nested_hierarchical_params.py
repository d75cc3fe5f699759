"""Hierarchical regression over schools with tree-structured parameters: a nested dict holding
global hyperparameters and a list of per-school dicts (intercept, slopes list); the negative log
posterior loops over schools with enumerate/zip and reads the nested structure."""
import numpy as np


def school_loglik(school, X, y, log_sigma):
    slopes = np.array(school["slopes"])
    mu = school["intercept"] + X @ slopes
    sigma = np.exp(log_sigma)
    return -0.5 * np.sum(((y - mu) / sigma) ** 2) - len(y) * np.log(sigma)


def neg_log_posterior(params, data):
    g = params["global"]
    tau = np.exp(g["log_tau"])
    total = 0.0
    for i, (school, (X, y)) in enumerate(zip(params["schools"], data)):
        total += school_loglik(school, X, y, g["log_sigma"])
        total += -0.5 * ((school["intercept"] - g["mu"]) / tau) ** 2 - np.log(tau)
        for j, s in enumerate(school["slopes"]):
            total += -0.5 * ((s - g["slope_means"][j]) / g["slope_scale"]) ** 2
    total += -0.5 * g["mu"] ** 2 / 100.0 - 0.5 * g["log_tau"] ** 2
    return -total


rng = np.random.default_rng(527)
data = []
schools = []
for i in range(4):
    n = 8 + 3 * i
    X = rng.standard_normal((n, 2))
    y = 1.0 + 0.3 * i + X @ np.array([0.5, -0.2]) + 0.3 * rng.standard_normal(n)
    data.append((X, y))
    schools.append({"intercept": 1.0 + 0.1 * rng.standard_normal(),
                    "slopes": [0.4 + 0.1 * rng.standard_normal(), -0.1 + 0.1 * rng.standard_normal()]})
params = {"global": {"mu": 1.2, "log_tau": np.log(0.5), "log_sigma": np.log(0.4),
                     "slope_means": np.array([0.3, -0.1]), "slope_scale": 0.5},
          "schools": schools}

f = neg_log_posterior
ARGS = (params, data)
