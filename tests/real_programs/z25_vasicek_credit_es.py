"""Credit portfolio risk in the one-factor Gaussian copula (Vasicek): obligor PDs from a logistic
scorecard (differentiated coefficients), default thresholds by scipy.stats.norm.ppf, conditional
default probabilities given fixed market-factor draws, portfolio loss per scenario with exposures
and LGDs, sector losses by np.bincount(weights=), the 99% VaR by np.quantile and the expected
shortfall as the mean of the sorted worst 2% scenarios; objective = ES + a calibration term of the
scorecard against observed default rates.  Differentiated w.r.t. the parameter dict (beta, asset
correlation logit)."""
import numpy as np
from scipy.stats import norm

SECTOR = np.array([0, 0, 1, 1, 1, 2, 2, 3, 3, 3, 3, 2])


def portfolio_es(params, X, ead, lgd, Z, default_rate, alpha=0.98):
    beta = params["beta"]
    rho = 1.0 / (1.0 + np.exp(-params["rho_logit"]))
    pd = 1.0 / (1.0 + np.exp(-(X @ beta)))
    thr = norm.ppf(pd)
    cond_pd = norm.cdf((thr[None, :] - np.sqrt(rho) * Z[:, None]) / np.sqrt(1.0 - rho))
    losses = cond_pd @ (ead * lgd)
    var99 = np.quantile(losses, 0.99)
    k = int(np.ceil((1 - alpha) * len(losses)))
    worst = np.sort(losses)[-k:]
    es = worst.mean()
    sector_loss = np.bincount(SECTOR, weights=pd * ead * lgd, minlength=4)
    concentration = np.sum((sector_loss / sector_loss.sum()) ** 2)
    calib = np.sum((pd.mean() - default_rate) ** 2) * 1e4
    return es + 0.1 * var99 + 10.0 * concentration + calib


rng = np.random.default_rng(25)
n_obl, n_feat = 12, 3
X = np.column_stack([np.ones(n_obl), rng.standard_normal((n_obl, n_feat - 1))])
ead = rng.uniform(1.0, 5.0, n_obl)
lgd = rng.uniform(0.3, 0.7, n_obl)
Z = rng.standard_normal(400)
f = portfolio_es
ARGS = ({"beta": np.array([-3.0, 0.4, -0.2]), "rho_logit": -1.5}, X, ead, lgd, Z, 0.05)
