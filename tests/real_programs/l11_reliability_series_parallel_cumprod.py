"""Maintenance planning for a series-parallel plant: Weibull component hazards, per-period survival by
np.cumprod, failure probabilities per period by np.diff(prepend=1.0), redundancy groups combined with
np.prod(1 - ...) along an axis, expected cost with discount factors np.cumprod(1/(1+r))."""
import numpy as np


def weibull_surv(t, scale, shape):
    return np.exp(-(t / scale) ** shape)


def plan_cost(log_scales, shapes, groups, horizon, r=0.04, c_fail=50.0, c_maint=1.0):
    scales = np.exp(log_scales)
    t = np.arange(1, horizon + 1, dtype=float)
    cond = weibull_surv(t[:, None], scales[None, :], shapes[None, :]) / \
        weibull_surv(t[:, None] - 1, scales[None, :], shapes[None, :])
    S = np.cumprod(cond, axis=0)                        # component survival to each period
    group_rel = []
    for members in groups:
        fail_all = np.prod(1 - S[:, members], axis=1)     # a parallel group fails if all members fail
        group_rel.append(1 - fail_all)
    R = np.prod(np.stack(group_rel, axis=1), axis=1)      # groups in series
    pf = -np.diff(R, prepend=1.0)
    disc = np.cumprod(np.full(horizon, 1 / (1 + r)))
    expected = np.sum(disc * pf) * c_fail
    maint = c_maint * np.sum(1.0 / scales)
    return expected + maint


rng = np.random.default_rng(111)
n_comp = 6
groups = [[0, 1], [2], [3, 4, 5]]
shapes = rng.uniform(1.2, 2.5, n_comp)
log_scales = np.log(rng.uniform(8, 20, n_comp))

f = plan_cost
ARGS = (log_scales, shapes, groups, 15)
