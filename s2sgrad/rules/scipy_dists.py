"""Rule-table rows for scipy.stats.gamma, beta and expon's logpdf and pdf, and scipy.stats.poisson's
logpmf and pmf, called as scipy takes them (`gamma.pdf(x, a, loc=0, scale=1)`, `beta.logpdf(x, a,
b, loc, scale)`, `expon.logpdf(x, loc, scale)`, `poisson.logpmf(k, mu, loc)`).

Part of THE rule table; rules/resolve.py maps the distributions' bound methods to these rows, whose
names are the run-time helpers the generated code calls (runtime_dists.py).  Guarantees: with
z = (x - loc) / scale, every argument gets g times its partial derivative (runtime_dists.dist_partial):
  gamma logpdf = (a - 1) log z - z - gammaln(a) - log scale: d/da = log z - digamma(a);
  beta logpdf = (a - 1) log z + (b - 1) log(1 - z) - betaln(a, b) - log scale:
      d/da = log z - digamma(a) + digamma(a + b), d/db = log(1 - z) - digamma(b) + digamma(a + b);
  expon logpdf = -z - log scale;
in each, d/dx = (d/dz) / scale, d/dloc = -d/dx, d/dscale = -z d/dx - 1/scale; the densities are
exp of these (their partials times the value); poisson logpmf = k log mu - mu - gammaln(k + 1):
d/dmu = k/mu - 1, and its k and loc are counts, whose derivative does not exist: refused where a
derivative reaches them.  Outside the support every partial is 0 (the log density is -inf there).
Arguments broadcast as scipy broadcasts them (each contribution summed down to its argument); a
float32 argument gets a float32 contribution (scipy computes in float64)."""
from __future__ import annotations

from ..builder import E, lift
from ..ir import Call, Const
from ..runtime_dists import KINDS
from .signal import _in_dtype
from .table import structural


def _partial(c, i):
    return E(Call("dist_partial", (Const(c.call.op), Const(i)) + tuple(lift(a) for a in c.args)))


def _check(c, i):
    if c.call.op.startswith("scipy_poisson_") and i != 1:
        raise c.unsupported(f"poisson.{c.call.op.rsplit('_', 1)[1]} with a differentiated "
                            f"{'k' if i == 0 else 'loc'}: a count, whose derivative does not exist")


def _dist(c):
    out = [None] * len(c.args)
    for i in range(len(c.args)):
        if c.active(i):
            _check(c, i)
            out[i] = _in_dtype(c, i, c.g * _partial(c, i))
    return tuple(out)


def _dist_jvp(c):
    total = None
    for i in range(len(c.args)):
        if c.has_tangent(i):
            _check(c, i)
            term = _partial(c, i) * c.t(i)
            total = term if total is None else total + term
    return total


for _name, _kinds in KINDS.items():
    for _kind in _kinds:
        structural(f"scipy_{_name}_{_kind}", _dist, lazy_g=False, jvp=_dist_jvp)
