"""Government bond curve fitting with the Nelson-Siegel-Svensson model: for given decay times
(tau1, tau2) the four betas come from ordinary least squares on the observed par yields
(np.linalg.lstsq, variable projection); each coupon bond's cash flows are discounted with the fitted
spot curve, then its yield to maturity is solved by Newton's method in a while loop (for/else to
flag non-convergence), and the loss compares model and market YTMs; accrual periods via
itertools.pairwise.  Differentiated w.r.t. log(tau1, tau2)."""
import itertools

import numpy as np

BONDS = [
    {"coupon": 0.020, "maturity": 1.0, "ytm": 0.0310},
    {"coupon": 0.025, "maturity": 2.0, "ytm": 0.0335},
    {"coupon": 0.030, "maturity": 3.0, "ytm": 0.0352},
    {"coupon": 0.035, "maturity": 5.0, "ytm": 0.0371},
    {"coupon": 0.040, "maturity": 7.0, "ytm": 0.0389},
    {"coupon": 0.040, "maturity": 10.0, "ytm": 0.0402},
    {"coupon": 0.045, "maturity": 20.0, "ytm": 0.0425},
]
PAR_T = np.array([0.5, 1.0, 2.0, 3.0, 5.0, 7.0, 10.0, 20.0, 30.0])
PAR_Y = np.array([0.030, 0.031, 0.0334, 0.035, 0.037, 0.0388, 0.040, 0.0423, 0.043])


def loadings(t, tau1, tau2):
    x1, x2 = t / tau1, t / tau2
    l1 = (1 - np.exp(-x1)) / x1
    l2 = l1 - np.exp(-x1)
    l3 = (1 - np.exp(-x2)) / x2 - np.exp(-x2)
    return np.column_stack([np.ones_like(t), l1, l2, l3])


def ytm_newton(price, coupon, times, y0=0.03, tol=1e-13, max_iter=50):
    cfs = np.full(len(times), coupon / 2)
    cfs[-1] += 1.0
    y = y0
    for _ in range(max_iter):
        disc = np.exp(-y * times)
        pv = np.sum(cfs * disc)
        dpv = -np.sum(cfs * times * disc)
        step = (pv - price) / dpv
        y = y - step
        if abs(step) < tol:
            break
    else:
        print("YTM did not converge")
    return y


def curve_loss(log_tau, bonds):
    tau1, tau2 = np.exp(log_tau[0]), np.exp(log_tau[1])
    betas, *_ = np.linalg.lstsq(loadings(PAR_T, tau1, tau2), PAR_Y, rcond=None)
    total = 0.0
    for bond in bonds:
        times = np.arange(0.5, bond["maturity"] + 0.25, 0.5)
        accr = np.array([t1 - t0 for t0, t1 in itertools.pairwise(np.concatenate([[0.0], times]))])
        spot = loadings(times, tau1, tau2) @ betas
        cfs = bond["coupon"] * accr
        cfs[-1] += 1.0
        price = np.sum(cfs * np.exp(-spot * times))
        y = ytm_newton(price, bond["coupon"], times)
        total += (1e4 * (y - bond["ytm"])) ** 2
    return total / len(bonds)


f = curve_loss
ARGS = (np.log(np.array([1.5, 8.0])), BONDS)
