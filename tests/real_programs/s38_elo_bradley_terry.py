"""Fitting an Elo-style rating system to a season of match results: ratings updated sequentially
after every match with a K-factor and a home advantage, the pre-match win probability from the
logistic Bradley-Terry curve scored by log-loss (draws count as half a win); the loss is
differentiated w.r.t. the initial ratings, K and the home advantage."""
import numpy as np


def expected_score(r_home, r_away, home_adv, scale=400.0):
    return 1.0 / (1.0 + 10 ** (-(r_home + home_adv - r_away) / scale))


def season_log_loss(init_ratings, k_factor, home_adv, matches):
    ratings = init_ratings.copy()
    total = 0.0
    for home, away, result in matches:
        p = expected_score(ratings[home], ratings[away], home_adv)
        total -= result * np.log(p) + (1 - result) * np.log(1 - p)
        delta = k_factor * (result - p)
        ratings[home] = ratings[home] + delta
        ratings[away] = ratings[away] - delta
    return total / len(matches)


rng = np.random.default_rng(38)
n_teams = 6
strength = rng.normal(0, 150, n_teams)
matches = []
for rnd in range(3):
    for h in range(n_teams):
        for a in range(n_teams):
            if h != a and rng.random() < 0.5:
                p = 1 / (1 + 10 ** (-(strength[h] + 50 - strength[a]) / 400))
                u = rng.random()
                matches.append((h, a, 1.0 if u < p - 0.1 else 0.5 if u < p + 0.1 else 0.0))
f = season_log_loss
KW = dict(wrt=("init_ratings", "k_factor", "home_adv"))
ARGS = (1500.0 + 20 * rng.standard_normal(n_teams), 24.0, 40.0, matches)
