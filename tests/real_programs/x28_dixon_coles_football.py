"""Dixon-Coles model of football scores: each team has attack and defence strengths stored in a
dict keyed by team name, plus a home advantage and the low-score dependence rho; matches are a list
of (home, away, home_goals, away_goals) tuples, goals are Poisson (log-pmf written with
math.lgamma), the tau correction for 0-0, 1-0, 0-1 and 1-1 is picked with a `match` statement on the
score tuple, and old matches are down-weighted by exp(-xi * age); the attack strengths are
centred by subtracting their mean (a dict comprehension); differentiated w.r.t. the strengths dict
and the (home, rho) tuple."""
import math

import numpy as np


def tau(hg, ag, lam, mu, rho):
    match (hg, ag):
        case (0, 0):
            return 1.0 - lam * mu * rho
        case (0, 1):
            return 1.0 + lam * rho
        case (1, 0):
            return 1.0 + mu * rho
        case (1, 1):
            return 1.0 - rho
        case _:
            return 1.0


def poisson_logpmf(k, rate):
    return k * math.log(rate) - rate - math.lgamma(k + 1)


def neg_log_lik(strengths, globals_, matches, xi=0.01):
    home_adv, rho = globals_
    mean_att = sum(s["att"] for s in strengths.values()) / len(strengths)
    att = {team: s["att"] - mean_att for team, s in strengths.items()}
    total = 0.0
    for age, (home, away, hg, ag) in enumerate(reversed(matches)):
        lam = math.exp(home_adv + att[home] + strengths[away]["def"])
        mu = math.exp(att[away] + strengths[home]["def"])
        ll = math.log(tau(hg, ag, lam, mu, rho)) + poisson_logpmf(hg, lam) + poisson_logpmf(ag, mu)
        total -= math.exp(-xi * age) * ll
    return total


TEAMS = ["Arsenal", "Chelsea", "Everton", "Fulham", "Leeds"]
rng = np.random.default_rng(2828)
matches = []
for week in range(6):
    for i, h in enumerate(TEAMS):
        for a in TEAMS[i + 1:]:
            if (week + i) % 2:
                h, a = a, h
            matches.append((h, a, int(rng.poisson(1.5)), int(rng.poisson(1.1))))
strengths = {t: {"att": 0.1 * rng.standard_normal(), "def": 0.1 * rng.standard_normal()} for t in TEAMS}
f = neg_log_lik
ARGS = (strengths, (0.25, -0.05), matches)
KW = dict(wrt=("strengths", "globals_"))
