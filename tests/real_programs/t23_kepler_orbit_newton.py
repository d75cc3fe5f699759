"""Fit a Keplerian orbit to astrometric positions: Kepler's equation E - e sin E = M solved per
epoch by Newton's method in a while loop with a tolerance, then true anomaly (arctan2), radius
and the rotated sky position; elements in a dict."""
import numpy as np


def solve_kepler(M, e, tol=1e-12, max_iter=50):
    E = M + e * np.sin(M)
    it = 0
    while True:
        dE = (E - e * np.sin(E) - M) / (1 - e * np.cos(E))
        E = E - dE
        it += 1
        if np.max(np.abs(dE)) < tol or it >= max_iter:
            break
    return E


def sky_position(elem, t):
    n = 2 * np.pi / elem["period"]
    M = n * (t - elem["t_peri"])
    e = elem["e"]
    E = solve_kepler(M, e)
    nu = 2 * np.arctan2(np.sqrt(1 + e) * np.sin(E / 2), np.sqrt(1 - e) * np.cos(E / 2))
    r = elem["a"] * (1 - e * np.cos(E))
    ang = nu + elem["omega"]
    return np.stack([r * np.cos(ang), r * np.sin(ang)], axis=1)


def chi2(elem, t, obs, sigma=0.01):
    return np.sum(((sky_position(elem, t) - obs) / sigma) ** 2)


rng = np.random.default_rng(523)
t = np.sort(rng.uniform(0, 10, 25))
true = {"period": 6.0, "t_peri": 1.0, "e": 0.45, "a": 2.0, "omega": 0.7}
obs = sky_position(true, t) + 0.01 * rng.standard_normal((25, 2))
elem = {"period": 6.1, "t_peri": 0.9, "e": 0.4, "a": 2.05, "omega": 0.75}

f = chi2
ARGS = (elem, t, obs)
