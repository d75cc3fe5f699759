"""Linear metabolic pathway S -> X1 -> X2 -> X3 -> P with reversible Michaelis-Menten steps and
feedback inhibition of the first enzyme by X3: steady-state concentrations found by Newton's method
with an analytic Jacobian assembled from per-reaction partial derivatives and np.linalg.solve, in a
while loop with a residual tolerance and an iteration cap; the flux control objective compares the
steady flux and metabolite levels to targets.  Differentiated w.r.t. the Vmax vector."""
import numpy as np


def rates(x, vmax, km, keq, S, ki):
    subs = np.concatenate([[S], x])
    prods = np.concatenate([x, [0.0]])
    v = vmax * (subs - prods / keq) / (km + subs + prods)
    v[0] = v[0] / (1 + (x[-1] / ki) ** 2)
    return v


def jacobian_rates(x, vmax, km, keq, S, ki):
    n = len(x)
    subs = np.concatenate([[S], x])
    prods = np.concatenate([x, [0.0]])
    denom = km + subs + prods
    num = subs - prods / keq
    dv_ds = vmax * (denom - num) / denom ** 2
    dv_dp = vmax * (-denom / keq - num) / denom ** 2
    inhib = 1 + (x[-1] / ki) ** 2
    J = np.zeros((n + 1, n))
    for r in range(n + 1):
        if r > 0:
            J[r, r - 1] = dv_ds[r]
        if r < n:
            J[r, r] = dv_dp[r]
    J[0] = J[0] / inhib
    v0 = vmax[0] * num[0] / denom[0]
    J[0, -1] += -v0 * 2 * x[-1] / ki ** 2 / inhib ** 2
    return J


def steady_state(vmax, km, keq, S=5.0, ki=1.5, tol=1e-12, max_iter=50):
    x = np.ones(len(vmax) - 1)
    it = 0
    while it < max_iter:
        v = rates(x, vmax, km, keq, S, ki)
        F = v[:-1] - v[1:]
        if np.max(np.abs(F)) < tol:
            break
        Jv = jacobian_rates(x, vmax, km, keq, S, ki)
        JF = Jv[:-1] - Jv[1:]
        x = x - np.linalg.solve(JF, F)
        it += 1
    return x, rates(x, vmax, km, keq, S, ki)[-1]


def design_loss(vmax, km, keq):
    x, flux = steady_state(vmax, km, keq)
    return (flux - 1.2) ** 2 + 0.1 * np.sum((x - 1.0) ** 2) + 0.01 * np.sum(vmax)


f = design_loss
ARGS = (np.array([3.0, 2.5, 4.0, 2.0]), np.array([0.5, 0.8, 0.6, 1.0]), np.array([5.0, 3.0, 4.0, 1e6]))
