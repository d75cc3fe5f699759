"""scipy.stats's gamma, beta, expon and poisson log densities and densities as the generated code
calls them, and their partial derivatives (rules/scipy_dists.py says what each row guarantees).

Guarantee: each value is scipy's own (the helper calls the distribution's method with the same
arguments); `dist_partial(op, i, *args)` is the exact partial derivative of that value in argument
i, broadcast to the result's shape, computed in float64 as scipy computes, and 0 outside the
distribution's support (where the log density is -inf and the density 0, constant in every
argument); at the support's edge where the density is finite (gamma's and beta's shape 1 at z = 0)
the one-sided derivative the density has there."""
from __future__ import annotations

import numpy as np

# distribution -> its shape parameters (after x; loc and scale follow, poisson takes loc only)
SHAPES = {"gamma": ("a",), "beta": ("a", "b"), "expon": (), "poisson": ("mu",)}
KINDS = {"gamma": ("logpdf", "pdf"), "beta": ("logpdf", "pdf"), "expon": ("logpdf", "pdf"),
         "poisson": ("logpmf", "pmf")}


def _stats(name):
    from scipy import stats
    return getattr(stats, name)


def _method(name, kind):
    def value(*args):
        return getattr(_stats(name), kind)(*args)
    value.__name__ = f"scipy_{name}_{kind}"
    value.__doc__ = f"scipy.stats.{name}.{kind}(*args)."
    return value


VALUES = {f"scipy_{n}_{k}": _method(n, k) for n, kinds in KINDS.items() for k in kinds}


def dist_partial(op, i, *args):
    """d op(*args) / d args[i] (see the module docstring)."""
    from scipy.special import digamma
    name, kind = op[len("scipy_"):].rsplit("_", 1)
    vals = [np.asarray(a, dtype=np.float64) for a in args]
    value = VALUES[op](*args)
    n = len(SHAPES[name])
    log_value = VALUES[op.rsplit("_", 1)[0] + ("_logpmf" if name == "poisson" else "_logpdf")](*args)
    inside = np.isfinite(log_value)  # (the support, its edges where the density is finite included)
    with np.errstate(divide="ignore", invalid="ignore"):
        if name == "poisson":  # logpmf = k' log mu - mu - gammaln(k' + 1), k' = k - loc
            k = vals[0] - (vals[2] if len(vals) > 2 else 0.0)
            d = _over(k, vals[1]) - 1.0
        else:
            x, shapes = vals[0], vals[1:1 + n]
            loc = vals[1 + n] if len(vals) > 1 + n else 0.0
            scale = vals[2 + n] if len(vals) > 2 + n else 1.0
            z = (x - loc) / scale
            if name == "gamma":  # (a - 1) log z - z - gammaln(a) - log scale
                (a,) = shapes
                dz, dshape = _over(a - 1, z) - 1.0, [np.log(z) - digamma(a)]
            elif name == "beta":  # (a - 1) log z + (b - 1) log(1 - z) - betaln(a, b) - log scale
                a, b = shapes
                both = digamma(a + b)
                dz = _over(a - 1, z) - _over(b - 1, 1 - z)
                dshape = [np.log(z) - digamma(a) + both, np.log1p(-z) - digamma(b) + both]
            else:  # expon: -z - log scale
                dz, dshape = -np.ones_like(z), []
            if i == 0:
                d = dz / scale
            elif i <= n:
                d = dshape[i - 1]
            elif i == n + 1:
                d = -dz / scale
            else:
                d = -(z * dz) / scale - 1.0 / scale
        if kind in ("pdf", "pmf"):
            d = d * value
        d = np.where(inside, d, 0.0)
    return np.broadcast_to(d, np.shape(value))


def _over(c, z):
    """c / z, 0 where c is 0 (the derivative of c log z at z = 0 when c is 0: the edge of the
    support where the density is finite, gamma's and beta's of shape 1)."""
    return np.where(c == 0, 0.0, c / np.where(c == 0, 1.0, z))


NAMES = {**VALUES, "dist_partial": dist_partial}
