"""Neural spline flow (Durkan et al. 2019) on 2-D data: a coupling layer whose conditioner (a small
tanh MLP on the first coordinate) outputs unnormalised bin widths, heights and knot derivatives
for a monotone rational-quadratic spline on [-B, B] applied to the second coordinate; widths and
heights go through a softmax and np.cumsum with np.pad to knot positions, the bin of each input
is found by counting the knots below it (per-sample knots: a broadcast comparison summed), per-sample bin parameters gathered with np.take_along_axis, inputs
outside the interval pass through with identity tails (np.where on an inside mask); the negative
log-likelihood under a standard normal base adds the log|det| of the spline, differentiated
w.r.t. the conditioner's parameter dict."""
import numpy as np

B, K = 3.0, 6


def softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def softplus(z):
    return np.logaddexp(0.0, z)


def knots(unnorm):
    w = 2 * B * (1e-3 + (1 - 1e-3 * K) * softmax(unnorm))
    cw = np.pad(np.cumsum(w, axis=-1), ((0, 0), (1, 0))) - B
    return w, cw


def rq_spline(x, uw, uh, ud):
    w, xk = knots(uw)
    h, yk = knots(uh)
    d = np.pad(1e-3 + softplus(ud), ((0, 0), (1, 1)), constant_values=1.0)
    inside = (x > -B) & (x < B)
    xc = np.clip(x, -B + 1e-9, B - 1e-9)
    idx = np.sum(xc[:, None] >= xk[:, 1:-1], axis=1)[:, None]
    take = lambda a: np.take_along_axis(a, idx, axis=1)[:, 0]
    x0, wk, y0, hk = take(xk), take(w), take(yk), take(h)
    d0, d1 = take(d), take(d[:, 1:])
    s = hk / wk
    xi = (xc - x0) / wk
    num = hk * (s * xi ** 2 + d0 * xi * (1 - xi))
    den = s + (d1 + d0 - 2 * s) * xi * (1 - xi)
    y = y0 + num / den
    dnum = s ** 2 * (d1 * xi ** 2 + 2 * s * xi * (1 - xi) + d0 * (1 - xi) ** 2)
    logdet = np.log(dnum) - 2 * np.log(den)
    return np.where(inside, y, x), np.where(inside, logdet, 0.0)


def conditioner(params, x1):
    h = np.tanh(x1[:, None] * params["W1"] + params["b1"])
    out = h @ params["W2"] + params["b2"]
    return out[:, :K], out[:, K:2 * K], out[:, 2 * K:]


def flow_nll(params, X):
    x1, x2 = X[:, 0], X[:, 1]
    uw, uh, ud = conditioner(params, x1)
    z2, logdet = rq_spline(x2, uw, uh, ud)
    log_base = -0.5 * (x1 ** 2 + z2 ** 2) - np.log(2 * np.pi)
    return -np.mean(log_base + logdet)


rng = np.random.default_rng(1919)
x1 = rng.standard_normal(128)
X = np.stack([x1, 0.5 * x1 ** 2 - 0.5 + 0.4 * rng.standard_normal(128)], axis=1)
X[:3, 1] = [3.5, -3.2, 4.0]  # a few points in the identity tails
params = {"W1": rng.standard_normal(16), "b1": 0.1 * rng.standard_normal(16),
          "W2": 0.3 * rng.standard_normal((16, 3 * K - 1)), "b2": np.zeros(3 * K - 1)}
f = flow_nll
ARGS = (params, X)
