"""Age-structured population model: a Leslie matrix built in place from logistic survival rates
and log fecundities, projected over a decade of censuses; the asymptotic growth rate from power
iteration (a while loop with a convergence test) is pulled to a target."""
import numpy as np
from scipy.special import expit


def leslie(theta):
    fec = np.exp(theta["log_fecundity"])
    surv = expit(theta["logit_survival"])
    n = len(fec)
    L = np.zeros((n, n))
    L[0, :] = fec
    L[np.arange(1, n), np.arange(n - 1)] = surv
    return L


def dominant_eigenvalue(L, tol=1e-13, max_iter=2000):
    v = np.ones(L.shape[0]) / L.shape[0]
    lam_old, it = 0.0, 0
    while it < max_iter:
        w = L @ v
        lam = np.sum(w) / np.sum(v)
        v = w / np.sum(w)
        if abs(lam - lam_old) < tol:
            break
        lam_old = lam
        it += 1
    return lam


def census_loss(theta, n0, census, target_growth=1.02):
    L = leslie(theta)
    n = n0
    err = 0.0
    for year, counts in enumerate(census, start=1):
        n = L @ n
        err += np.sum((np.log(n) - np.log(counts)) ** 2)
    return err / len(census) + 10.0 * (dominant_eigenvalue(L) - target_growth) ** 2


rng = np.random.default_rng(139)
true = {"log_fecundity": np.log(np.array([0.0001, 0.6, 1.1, 0.8, 0.3])),
        "logit_survival": np.array([0.5, 1.5, 1.2, 0.8])}
n0 = np.array([100.0, 80.0, 60.0, 40.0, 20.0])
census, n = [], n0
for year in range(10):
    n = leslie(true) @ n
    census.append(n * np.exp(0.03 * rng.standard_normal(5)))
theta = {k: v + 0.1 * rng.standard_normal(v.shape) for k, v in true.items()}

f = census_loss
ARGS = (theta, n0, census)
