"""Dose-response screening: each compound on a plate is fitted with a four-parameter logistic
(Hill) curve on log10 concentration.  Plates are a small dataclass (concentrations in uM, replicate
responses as a 2-D array, a per-plate DMSO-normalisation offset); the loss is a Huber-robust sum of
residuals over plates plus a weak prior pulling Hill slopes toward 1.  Differentiated w.r.t. the
parameter dict (top, bottom, log-IC50 per compound, Hill slope per compound)."""
import math
from dataclasses import dataclass

import numpy as np

LN10 = math.log(10.0)
HUBER_DELTA = 5.0   # percent activity


@dataclass
class Plate:
    conc_um: np.ndarray      # (n_conc,)
    response: np.ndarray     # (n_compounds, n_conc, n_rep), percent of control
    offset: float = 0.0


def four_pl(log_c, top, bottom, log_ic50, hill):
    # response = bottom + (top - bottom) / (1 + 10^((log_ic50 - log_c) * hill))   (inhibition curve)
    return bottom + (top - bottom) / (1.0 + np.exp(LN10 * hill * (log_c - log_ic50)))


def huber(r, delta=HUBER_DELTA):
    a = np.abs(r)
    return np.where(a <= delta, 0.5 * r ** 2, delta * (a - 0.5 * delta))


def plate_loss(params, plate):
    log_c = np.log10(plate.conc_um)[None, :]                 # (1, n_conc)
    pred = four_pl(log_c, params["top"], params["bottom"],
                   params["log_ic50"][:, None], params["hill"][:, None])   # (n_cmp, n_conc)
    resid = plate.response - plate.offset - pred[:, :, None]
    return huber(resid).sum()


def loss(params, plates, prior_sd=0.5):
    total = sum(plate_loss(params, p) for p in plates)
    hill_prior = np.sum((params["hill"] - 1.0) ** 2) / (2 * prior_sd ** 2)
    return total / len(plates) + hill_prior


rng = np.random.default_rng(1)
n_cmp = 5
true = dict(top=100.0, bottom=3.0, log_ic50=rng.uniform(-1.5, 1.0, n_cmp), hill=rng.uniform(0.7, 1.6, n_cmp))
plates = []
for k in range(3):
    conc = 30.0 / 3.0 ** np.arange(10)
    mean = four_pl(np.log10(conc)[None, :], true["top"], true["bottom"], true["log_ic50"][:, None], true["hill"][:, None])
    resp = mean[:, :, None] + 4.0 * rng.standard_normal((n_cmp, conc.size, 3)) + 2.0 * k
    resp[rng.integers(n_cmp), rng.integers(conc.size), 0] += 40.0        # an outlier well
    plates.append(Plate(conc, resp, offset=2.0 * k))
params0 = dict(top=95.0, bottom=0.0, log_ic50=np.zeros(n_cmp), hill=np.ones(n_cmp))
f = loss
ARGS = (params0, plates)
