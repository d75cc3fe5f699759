"""Loss reserving on a 7x7 cumulative paid-claims triangle whose lower-right part is NaN (not yet
observed), as triangles are stored: a parametric development pattern (log-logistic growth curve in
development age) times an ultimate per accident year, fitted by least squares on log cumulative
paid with np.nansum over the triangle, plus a prior tying ultimates to premium x expected loss
ratio; the reserve itself (ultimate minus latest diagonal) is a penalised output.  Differentiated
w.r.t. the parameter dict (log ultimates, log theta, log omega)."""
import numpy as np

PREMIUM = np.array([100.0, 110.0, 120.0, 125.0, 130.0, 140.0, 150.0])
ELR = 0.65


def growth(params, ages):
    theta = np.exp(params["log_theta"])
    omega = np.exp(params["log_omega"])
    return ages ** omega / (ages ** omega + theta ** omega)


def reserve_loss(params, tri, sigma=0.05, prior_sd=0.3):
    n = tri.shape[0]
    ages = np.arange(1, n + 1) * 12.0 - 6.0
    ult = np.exp(params["log_ult"])
    pred = ult[:, None] * growth(params, ages)[None, :]
    resid = np.log(tri) - np.log(pred)
    fit = np.nansum(resid ** 2) / (2 * sigma ** 2)
    prior = np.sum((params["log_ult"] - np.log(ELR * PREMIUM)) ** 2) / (2 * prior_sd ** 2)
    latest = np.array([tri[i, n - 1 - i] for i in range(n)])
    reserve = np.sum(ult - latest)
    return fit + prior + 1e-4 * reserve ** 2


rng = np.random.default_rng(11)
n = 7
ages = np.arange(1, n + 1) * 12.0 - 6.0
true_g = ages ** 1.5 / (ages ** 1.5 + 20.0 ** 1.5)
ult_true = ELR * PREMIUM * np.exp(0.1 * rng.standard_normal(n))
tri = ult_true[:, None] * true_g[None, :] * np.exp(0.03 * rng.standard_normal((n, n)))
for i in range(n):
    tri[i, n - i:] = np.nan
f = reserve_loss
ARGS = ({"log_ult": np.log(ELR * PREMIUM), "log_theta": np.log(18.0), "log_omega": np.log(1.3)}, tri)
