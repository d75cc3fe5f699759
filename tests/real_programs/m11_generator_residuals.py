"""A least-squares fit of a logistic growth curve where residuals come from generators: one yields
per-observation residuals (consumed by sum of squares), another yields (weight, residual) pairs for a
smoothness prior over consecutive parameters of a time-varying rate, consumed by a for loop with
enumerate."""
import numpy as np


def logistic_path(r, K, x0, dt):
    x = x0
    for rt in r:
        x = x + dt * rt * x * (1.0 - x / K)
        yield x


def residuals(r, K, x0, dt, obs):
    for x, o in zip(logistic_path(r, K, x0, dt), obs):
        yield (x - o) / o


def smooth_terms(r, weights):
    for i in range(1, len(r)):
        yield weights[i - 1], r[i] - r[i - 1]


def loss(theta, obs, dt=0.5):
    r = theta[:-2]
    K, x0 = np.exp(theta[-2]), np.exp(theta[-1])
    data = sum(e ** 2 for e in residuals(r, K, x0, dt, obs))
    prior = 0.0
    for i, (w, d) in enumerate(smooth_terms(r, np.linspace(1.0, 2.0, len(r) - 1))):
        prior = prior + w * d ** 2 * (1.0 + 0.1 * i)
    return data + 10.0 * prior


T = 12
true_r = 0.6 + 0.1 * np.sin(np.arange(T) / 3.0)
obs = np.array(list(logistic_path(true_r, 50.0, 2.0, 0.5))) * (1.0 + 0.02 * np.cos(np.arange(T)))
theta = np.concatenate([np.full(T, 0.55), [np.log(45.0), np.log(2.5)]])

f = loss
ARGS = (theta, obs)
