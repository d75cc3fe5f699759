"""Cormack-Jolly-Seber survival model for a bird-ringing study: each individual's capture history
(0/1 per occasion) is conditioned on its first capture; survival phi_t and recapture p_t are
logit-linear in a rainfall covariate.  The likelihood of the part after the last sighting uses the
chi recursion (probability of never being seen again), computed backward with a Python loop.  Per
individual, first/last capture occasions come from np.argmax / np.flatnonzero.  Differentiated
w.r.t. the coefficient vector beta = (phi0, phi_rain, p0)."""
import numpy as np
from scipy.special import expit


def chi_recursion(phi, p):
    n = len(phi) + 1
    chi = [1.0] * n
    for t in range(n - 2, -1, -1):
        chi[t] = (1.0 - phi[t]) + phi[t] * (1.0 - p[t]) * chi[t + 1]
    return chi


def cjs_negloglik(beta, histories, rain):
    phi = expit(beta[0] + beta[1] * rain)         # survival t -> t+1, length T-1
    p = expit(np.full(len(rain), beta[2]))        # recapture at t+1
    chi = chi_recursion(phi, p)
    ll = 0.0
    for h in histories:
        seen = np.flatnonzero(h)
        first, last = seen[0], seen[-1]
        for t in range(first, last):
            ll += np.log(phi[t])
            ll += np.log(p[t]) if h[t + 1] else np.log1p(-p[t])
        ll += np.log(chi[last])
    return -ll


rng = np.random.default_rng(7)
T = 8
rain = rng.standard_normal(T - 1)
phi_true = expit(1.0 - 0.5 * rain)
hist = []
for i in range(60):
    first = rng.integers(0, T - 1)
    h = np.zeros(T, dtype=int)
    h[first] = 1
    alive = True
    for t in range(first, T - 1):
        alive = alive and rng.random() < phi_true[t]
        if alive and rng.random() < 0.6:
            h[t + 1] = 1
    hist.append(h)
f = cjs_negloglik
ARGS = (np.array([0.5, 0.0, 0.2]), hist, rain)
