"""Marketing-mix model (as data scientists write them for scipy.optimize): a flat parameter vector
is unpacked (reshape with order='F' into a per-channel table, as in the MATLAB original), each media
channel gets geometric adstock by an in-place recursion on a copy (ad[t] += decay * ad[t-1]), TV
additionally a delayed carry-over by np.convolve with a normalised kernel, then Hill saturation;
trend and Fourier seasonality enter through a design matrix; the loss is Gaussian NLL with weak
priors.  Differentiated w.r.t. the flat vector."""
import numpy as np

N_CH = 3


def geometric_adstock(x, decay):
    ad = x.copy()
    for t in range(1, len(ad)):
        ad[t] += decay * ad[t - 1]
    return ad


def delayed_kernel(decay, peak, L=8):
    lags = np.arange(L)
    w = decay ** ((lags - peak) ** 2)
    return w / w.sum()


def hill(x, half, slope):
    return x ** slope / (x ** slope + half ** slope)


def mmm_nll(theta, spend, sales, season):
    table = theta[: 3 * N_CH].reshape(N_CH, 3, order="F")       # columns: decay logit, log half, log slope
    coef = np.exp(theta[3 * N_CH: 4 * N_CH])
    base = theta[4 * N_CH:]
    decay = 1 / (1 + np.exp(-table[:, 0]))
    half = np.exp(table[:, 1])
    slope = np.exp(table[:, 2])
    contrib = []
    for c in range(N_CH):
        ad = geometric_adstock(spend[:, c], decay[c])
        if c == 0:      # TV: delayed peak on top of the geometric decay
            k = delayed_kernel(decay[c], 2.0)
            ad = np.convolve(ad, k, mode="full")[: len(ad)]
        contrib.append(coef[c] * hill(ad, half[c], slope[c]))
    media = np.stack(contrib, axis=1).sum(axis=1)
    pred = season @ base + media
    sigma = 2.0
    nll = 0.5 * np.sum((sales - pred) ** 2) / sigma ** 2
    prior = 0.5 * np.sum(table ** 2) + 0.5 * np.sum(np.log(coef / 10.0) ** 2)
    return nll + prior


rng = np.random.default_rng(28)
Tn = 80
t = np.arange(Tn)
season = np.column_stack([np.ones(Tn), t / Tn, np.sin(2 * np.pi * t / 52), np.cos(2 * np.pi * t / 52)])
spend = rng.gamma(2.0, 1.0, (Tn, N_CH)) * (rng.random((Tn, N_CH)) < 0.6)
sales = 50 + 5 * t / Tn + 3 * np.sin(2 * np.pi * t / 52) + 10 * (1 - np.exp(-spend.sum(1))) + rng.normal(0, 2, Tn)
theta0 = np.concatenate([np.array([0.0, 0.5, -0.5, 0.3, 0.0, 0.2, 0.1, -0.1, 0.0]), np.log([8.0, 5.0, 3.0]),
                         np.array([50.0, 5.0, 2.0, 0.5])])
f = mmm_nll
ARGS = (theta0, spend, sales, season)
