"""Actuarial pricing: a Gompertz-Makeham life table (force of mortality A + B c^x), closed at the
limiting age 110 where q = 1 (everybody dies), survival curves by np.cumprod, curtate life
expectancy and whole-life annuity-due values at several issue ages, fitted to market annuity quotes
and a life-expectancy target by weighted least squares.  Differentiated w.r.t. the parameter dict
(log A, log B, c)."""
import numpy as np

OMEGA = 110
AGES = np.arange(30, OMEGA + 1)
INTEREST = 0.03
V = 1.0 / (1.0 + INTEREST)


def one_year_q(params):
    A = np.exp(params["logA"])
    B = np.exp(params["logB"])
    c = params["c"]
    mu = A + B * c ** AGES          # force of mortality
    q = 1.0 - np.exp(-mu)
    q[-1] = 1.0                     # closed table
    return q


def annuity_due(q, issue_age):
    i = issue_age - AGES[0]
    p = 1.0 - q[i:]
    surv = np.cumprod(p)                        # k+1 p x
    kpx = np.insert(surv[:-1], 0, 1.0)          # k p x, k = 0..
    disc = V ** np.arange(len(kpx))
    return np.sum(disc * kpx)


def life_expectancy(q, age):
    i = age - AGES[0]
    return np.cumprod(1.0 - q[i:]).sum()        # curtate e_x


def loss(params, quotes, e65_target=19.5):
    q = one_year_q(params)
    err = 0.0
    for age, price in quotes.items():
        model = annuity_due(q, age)
        err += ((model - price) / price) ** 2
    e65 = life_expectancy(q, 65)
    prob_100 = np.prod(1.0 - q[65 - AGES[0]:100 - AGES[0]])
    return err + 0.01 * (e65 - e65_target) ** 2 + 10.0 * (prob_100 - 0.01) ** 2


QUOTES = {55: 17.9, 60: 15.8, 65: 13.6, 70: 11.3, 75: 9.1, 80: 7.0}
f = loss
ARGS = ({"logA": np.log(5e-4), "logB": np.log(3e-5), "c": 1.1}, QUOTES)
