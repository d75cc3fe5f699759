"""Rule-table rows for scipy.special.expit, log_expit, logit and scipy.stats.norm's logpdf, pdf, cdf
and logcdf (scipy.special.logsumexp is in rules/reductions.py; gammaln, erf, xlogy, the Bessel
functions, softmax and the rest of scipy.special's rows in rules/scipy_special.py).

Part of THE rule table (rules/__init__.py imports this module; rules/resolve.py maps scipy's
functions, and the bound methods `norm.logpdf`..., to these rows, whose names are the run-time
helpers the generated code calls: runtime_scipy.py).  Guarantees:
- expit(x) = 1 / (1 + exp(-x)): x gets g ans (1 - ans); log_expit(x) = -log(1 + exp(-x)): x gets
  g (1 - expit(x)), written g expit(-x) (no cancellation for large x); logit(x) = log(x / (1 - x)):
  x gets g / (x (1 - x));
- norm.*(x, loc=0, scale=1) with z = (x - loc) / scale, phi the standard normal density:
  logpdf = -z^2/2 - log(scale) - log(2 pi)/2: d/dx = -z/scale, d/dloc = z/scale,
  d/dscale = (z^2 - 1)/scale; pdf = exp(logpdf): the same times ans; cdf = Phi(z): d/dx =
  phi(z)/scale, d/dloc = -phi(z)/scale, d/dscale = -phi(z) z/scale; logcdf = log Phi(z): those of cdf
  divided by Phi(z), written exp(-z^2/2 - log(2 pi)/2 - ans)/scale (no underflow far in the lower
  tail).  In general d/dloc = -d/dx and d/dscale = -z d/dx + (-1/scale for logpdf, -ans/scale for
  pdf, 0 otherwise).  x, loc and scale broadcast as scipy broadcasts them (each contribution is
  summed down to its argument); they may be given by keyword; anything else (a fourth positional
  argument, another keyword) is refused.  scipy computes these in float64: a float32 argument gets a
  float32 contribution.  Where scale <= 0 scipy's value is nan and the gradient is the formula's.
"""
from __future__ import annotations

import math

from ..builder import NP
from .signal import _in_dtype, _rt
from .table import structural, unary

# ------------------------------------------------------------------------------ scipy.special
unary("scipy_expit", lambda g, ans, x: g * ans * (1 - ans))
unary("scipy_log_expit", lambda g, ans, x: g * _rt("scipy_expit", -x))
unary("scipy_logit", lambda g, ans, x: g / (x * (1 - x)))


# ------------------------------------------------------------------------------ scipy.stats.norm
_HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)
NORM = ("logpdf", "pdf", "cdf", "logcdf")


def _parts(c):
    """(kind, x, loc, scale, z, d/dx, the explicit part of d/dscale) of the call; loc, scale None
    where absent (0 and 1)."""
    if len(c.args) > 3:
        raise c.unsupported(f"norm.{c.call.op[len('scipy_norm_'):]} with arguments after x, loc and scale (the "
                            "normal distribution has no shape parameters)")
    kind = c.call.op[len("scipy_norm_"):]
    x = c.args[0]
    loc = c.args[1] if len(c.args) > 1 else None
    scale = c.args[2] if len(c.args) > 2 else None
    centred = x if loc is None else x - loc
    z = c.let(centred if scale is None else centred / scale, "norm_z")
    inv = 1.0 if scale is None else 1.0 / scale
    if kind == "logpdf":
        dx, explicit = -z * inv, -inv
    elif kind == "pdf":
        dx, explicit = -(c.ans * z) * inv, -(c.ans * inv)
    elif kind == "cdf":
        dx, explicit = NP.exp(-(z * z) / 2 - _HALF_LOG_2PI) * inv, None
    else:  # logcdf: phi / Phi from logarithms
        dx, explicit = NP.exp(-(z * z) / 2 - _HALF_LOG_2PI - c.ans) * inv, None
    return x, loc, scale, z, dx, explicit


def _dscale(z, dx, explicit):
    d = -(z * dx)
    return d if explicit is None else d + explicit


def _norm(c):
    """x gets g d/dx, loc -g d/dx, scale g d/dscale (see the module docstring)."""
    _, _, _, z, dx, explicit = _parts(c)
    n = len(c.args)
    active = [i for i in range(n) if c.active(i)]
    if len(active) > 1:
        dx = c.let(dx, "norm_dx")
    g = c.g
    out = [None] * n
    if 0 in active:
        out[0] = _in_dtype(c, 0, g * dx)
    if 1 in active:
        out[1] = _in_dtype(c, 1, -(g * dx))
    if 2 in active:
        out[2] = _in_dtype(c, 2, g * _dscale(z, dx, explicit))
    return tuple(out)


def _norm_jvp(c):
    """d ans = d/dx (dx - dloc) + d/dscale dscale."""
    has = [i for i in range(len(c.args)) if c.has_tangent(i)]
    if not has:
        return None
    _, _, _, z, dx, explicit = _parts(c)
    if len(has) > 1:
        dx = c.let(dx, "norm_dx")
    total = None
    for i in has:
        t = c.t(i)
        term = dx * t if i == 0 else -(dx * t) if i == 1 else _dscale(z, dx, explicit) * t
        total = term if total is None else total + term
    return total


for _kind in NORM:
    structural(f"scipy_norm_{_kind}", _norm, lazy_g=False, jvp=_norm_jvp)


def _ppf_partials(c):
    """(d/dq, d/dloc, d/dscale) of loc + scale * z, z = ndtri(q): scale / phi(z), 1, z."""
    if len(c.args) > 3:
        raise c.unsupported("norm.ppf with arguments after q, loc and scale")
    loc = c.args[1] if len(c.args) > 1 else None
    scale = c.args[2] if len(c.args) > 2 else None
    centred = c.ans if loc is None else c.ans - loc
    z = c.let(centred if scale is None else centred / scale, "norm_z")
    dq = NP.exp(z * z / 2 + _HALF_LOG_2PI)
    return (dq if scale is None else dq * scale), z


def _ppf(c):
    """q gets g scale / phi(z), loc g, scale g z (z the standard quantile)."""
    dq, z = _ppf_partials(c)
    g, out = c.g, [None] * len(c.args)
    if c.active(0):
        out[0] = _in_dtype(c, 0, g * dq)
    if len(c.args) > 1 and c.active(1):
        out[1] = _in_dtype(c, 1, g)
    if len(c.args) > 2 and c.active(2):
        out[2] = _in_dtype(c, 2, g * z)
    return tuple(out)


def _ppf_jvp(c):
    has = [i for i in range(len(c.args)) if c.has_tangent(i)]
    if not has:
        return None
    dq, z = _ppf_partials(c)
    total = None
    for i in has:
        term = dq * c.t(i) if i == 0 else c.t(i) if i == 1 else z * c.t(i)
        total = term if total is None else total + term
    return total


structural("scipy_norm_ppf", _ppf, lazy_g=False, jvp=_ppf_jvp)
