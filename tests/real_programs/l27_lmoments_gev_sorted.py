"""Flood-frequency fit by L-moment matching for a GEV: model quantiles at plotting positions from the
GEV quantile function (scipy.special.gamma for the theoretical L-moments too), sample L-moments from
probability-weighted moments of np.sort'ed annual maxima via np.arange rank weights; a 100-year
return level penalty."""
import numpy as np
from scipy.special import gamma


def gev_quantile(p, loc, scale, shape):
    return loc + scale / shape * ((-np.log(p)) ** (-shape) - 1)


def sample_lmoments(x):
    xs = np.sort(x)
    n = len(xs)
    j = np.arange(n)
    b0 = xs.mean()
    b1 = np.sum(j / (n - 1) * xs) / n
    b2 = np.sum(j * (j - 1) / ((n - 1) * (n - 2)) * xs) / n
    return np.array([b0, 2 * b1 - b0, 6 * b2 - 6 * b1 + b0])


def gev_lmoments(loc, scale, k):
    l1 = loc + scale / k * (gamma(1 - k) - 1)
    l2 = scale / k * gamma(1 - k) * (2 ** k - 1)
    t3 = 2 * (1 - 3 ** k) / (1 - 2 ** k) - 3
    return np.array([l1, l2, t3 * l2])


def fit_loss(theta, maxima, target_rl=None):
    loc, log_scale, k = theta
    scale = np.exp(log_scale)
    lm_data = sample_lmoments(maxima)
    lm_model = gev_lmoments(loc, scale, k)
    n = len(maxima)
    pp = (np.arange(1, n + 1) - 0.44) / (n + 0.12)        # Gringorten plotting positions
    q = gev_quantile(pp, loc, scale, k)
    qq = np.mean((q - np.sort(maxima)) ** 2)
    loss = np.sum((lm_model - lm_data) ** 2) + 0.01 * qq
    if target_rl is not None:
        loss = loss + 0.001 * (gev_quantile(1 - 1 / 100, loc, scale, k) - target_rl) ** 2
    return loss


rng = np.random.default_rng(127)
u = rng.random(35)
maxima = gev_quantile(u, 120.0, 30.0, 0.1)
theta = np.array([115.0, np.log(28.0), 0.15])

f = lambda theta, maxima: fit_loss(theta, maxima, target_rl=260.0)
ARGS = (theta, maxima)
