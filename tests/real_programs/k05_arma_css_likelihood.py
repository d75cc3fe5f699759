"""ARMA(2,1) estimation by conditional sum of squares, the way textbook code writes it: residuals
computed by a Python recursion e[t] = y[t] - c - phi1*y[t-1] - phi2*y[t-2] - theta*e[t-1] appended
to a list, the innovation variance profiled out, Gaussian concentrated log-likelihood, plus a
soft stationarity penalty on the AR roots computed from the companion matrix (np.linalg.eigvals,
absolute values).  Parameters are a tuple (c, phi, theta) with phi a length-2 array; differentiated
w.r.t. that tuple."""
import numpy as np


def residuals(y, c, phi, theta):
    e = [0.0, 0.0]
    for t in range(2, len(y)):
        pred = c + phi[0] * y[t - 1] + phi[1] * y[t - 2] + theta * e[-1]
        e.append(y[t] - pred)
    return np.array(e[2:])


def neg_loglik(params, y):
    c, phi, theta = params
    e = residuals(y, c, phi, theta)
    n = len(e)
    sigma2 = np.dot(e, e) / n
    ll = -0.5 * n * (np.log(2 * np.pi * sigma2) + 1)
    companion = np.array([[phi[0], phi[1]], [1.0, 0.0]])
    roots = np.abs(np.linalg.eigvals(companion))
    penalty = np.sum(np.maximum(roots - 0.98, 0.0) ** 2)
    return -ll / n + 100 * penalty


rng = np.random.default_rng(11)
n = 150
y = np.zeros(n)
eps = rng.standard_normal(n)
for t in range(2, n):
    y[t] = 0.2 + 0.5 * y[t - 1] - 0.2 * y[t - 2] + eps[t] + 0.3 * eps[t - 1]
f = neg_loglik
ARGS = ((0.1, np.array([0.4, -0.1]), 0.2), y)
