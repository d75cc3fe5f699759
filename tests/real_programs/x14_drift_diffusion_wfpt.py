"""Drift-diffusion model of two-choice reaction times fitted by maximum likelihood: the
first-passage-time density of the Wiener process at the lower boundary uses the Navarro & Fuss
large-time series truncated at a fixed number of terms (`sum` of a list comprehension over
k = 1..K), upper-boundary responses are mapped by v -> -v, w -> 1 - w; parameters arrive as a
dict with drift v, boundary separation through log, starting point through a logistic and
non-decision time; trials are (rt, choice) pairs zipped from two arrays, the log-density
accumulated over them with math.log; negative log-likelihood, differentiated w.r.t. the dict."""
import math

import numpy as np


def wfpt_lower(t, v, a, w, n_terms=30):
    tt = t / a ** 2
    series = sum(k * math.exp(-k ** 2 * math.pi ** 2 * tt / 2) * math.sin(k * math.pi * w) for k in range(1, n_terms + 1))
    p = math.pi * series
    return p * math.exp(-v * a * w - v ** 2 * t / 2) / a ** 2


def neg_log_lik(params, rts, choices):
    v = params["v"]
    a = math.exp(params["log_a"])
    w = 1.0 / (1.0 + math.exp(-params["logit_w"]))
    t0 = params["t0"]
    nll = 0.0
    for rt, c in zip(rts, choices):
        t = float(rt) - t0
        if c == 1:
            dens = wfpt_lower(t, -v, a, 1.0 - w)
        else:
            dens = wfpt_lower(t, v, a, w)
        nll -= math.log(dens)
    return nll


rng = np.random.default_rng(1414)
rts = 0.35 + rng.gamma(3.0, 0.12, size=40)
choices = (rng.random(40) < 0.7).astype(int)
f = neg_log_lik
ARGS = ({"v": 0.8, "log_a": math.log(1.2), "logit_w": 0.1, "t0": 0.25}, rts, choices)
