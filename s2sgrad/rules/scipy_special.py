"""Rule-table rows for scipy.special's gamma, error, Bessel and entropy functions and its softmax:
gammaln, loggamma (real arguments), gamma, digamma (= psi), polygamma, multigammaln, betaln, beta,
erf, erfc, erfcx, erfinv, erfcinv, ndtr, log_ndtr, ndtri, xlogy, xlog1py, entr, kl_div, rel_entr, i0,
i1, i0e, i1e, k0, k1, k0e, k1e, softmax and log_softmax (expit, logit and scipy.stats.norm are in rules/scipy_rows.py,
logsumexp in rules/reductions.py).

Part of THE rule table (rules/__init__.py imports this module; rules/resolve.py maps scipy.special's
functions to these rows, named `scipy_<name>`, the run-time helpers of runtime_scipy.py the generated
code calls).  Derivatives read other rows of this table (gammaln's is `scipy_digamma(x)`, digamma's
`scipy_polygamma(1, x)`), so they have derivatives of their own (Hessians).  Guarantees:
- gammaln, loggamma: psi(x); gamma: ans psi(x); digamma: polygamma(1, x); polygamma(n, x): in x,
  polygamma(n + 1, x), n an integer order (refused when it carries a derivative); multigammaln(a, d):
  sum_{j<d} psi(a - j/2) in a, d an integer dimension (refused likewise); betaln(a, b): psi(a) -
  psi(a + b) and psi(b) - psi(a + b); beta: those times ans;
- erf: 2/sqrt(pi) exp(-x^2), erfc its negative, erfcx = exp(x^2) erfc(x): 2 x ans - 2/sqrt(pi);
  erfinv: sqrt(pi)/2 exp(ans^2), erfcinv its negative; ndtr: phi(x) = exp(-x^2/2)/sqrt(2 pi);
  log_ndtr: phi/Phi written exp(-x^2/2 - ans)/sqrt(2 pi) (no underflow far in the lower tail);
  ndtri: 1/phi(ans) = sqrt(2 pi) exp(ans^2/2);
- xlogy(x, y) = x log y: log y and x/y, xlog1py(x, y) = x log1p(y): log1p(y) and x/(1 + y); where
  x == 0 and y is at the pole (0, resp. -1) the result is the constant 0 and y gets 0 (never nan);
  entr(x) = -x log x: -log x - 1; kl_div(x, y) = x log(x/y) - x + y: log x - log y and 1 - x/y;
  rel_entr(x, y) = x log(x/y): log x - log y + 1 and -x/y (y gets 0 where x == y == 0);
- i0: i1; i1: i0 - i1/x, 1/2 at x = 0 (the limit); i0e = exp(-|x|) i0: i1e - sign(x) i0e (0 at the
  kink x = 0, the mean of the one-sided slopes -1 and 1); i1e: i0e - i1e (sign(x) + 1/x), 1/2 at 0;
  k0 (x > 0): -k1; k1: -k0 - k1/x; k0e = exp(x) k0: k0e - k1e; k1e: k1e (1 - 1/x) - k0e;
- softmax(x, axis=None) = s: x gets s (g - sum(g s)), log_softmax: g - exp(ans) sum(g), the sums
  along the axis (all axes for None), which must be a constant;
- two-argument rows broadcast as numpy does (the reverse driver sums each contribution down to its
  argument); a float32 argument gets a float32 contribution (polygamma and multigammaln compute in
  float64).
"""
from __future__ import annotations

import math

from ..builder import E, NP, lift
from ..ir import Call, Const
from .signal import _in_dtype
from .table import ARITY, Rule, _add, structural

_2_SQRT_PI = 2 / math.sqrt(math.pi)
_SQRT_PI_2 = math.sqrt(math.pi) / 2
_SQRT_2PI = math.sqrt(2 * math.pi)
_HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)


def _rt(name, *args):
    return E(Call(name, tuple(lift(a) for a in args)))


def _row(name, n, f):
    """An elementwise row `scipy_<name>` of n arguments: f(c) gives the contributions (None for an
    argument with none)."""
    op = f"scipy_{name}"
    ARITY[op] = n
    _add(Rule(op, f, "elementwise"))


def _unary(name, d):
    """f(x) with f'(x) = d(ans, x), cast to x's dtype where that is float32."""
    _row(name, 1, lambda c: (_in_dtype(c, 0, c.g * d(c.ans, c.args[0])),))


def _integer_order(c, i, what):
    if c.active(i):
        raise c.unsupported(f"differentiating with respect to {what} (an integer, without a derivative: leave it "
                            "out of wrt=, or pass a constant)")


def _safe(x, at, value=1.0):
    """x with `value` where the mask `at` holds (a denominator that the mask's where then ignores)."""
    return NP.where(at, value, x)


# ------------------------------------------------------------------------------ gamma family
_unary("gammaln", lambda ans, x: _rt("scipy_digamma", x))
_unary("loggamma", lambda ans, x: _rt("scipy_digamma", x))
_unary("gamma", lambda ans, x: ans * _rt("scipy_digamma", x))
_unary("digamma", lambda ans, x: _rt("scipy_polygamma", 1, x))


def _polygamma(c):
    """polygamma(n, x): x gets g polygamma(n + 1, x); n is an integer order."""
    _integer_order(c, 0, "its order n")
    n = c.args[0]
    up = Const(n.e.value + 1) if isinstance(n.e, Const) and isinstance(n.e.value, int) else n + 1
    return None, _in_dtype(c, 1, c.g * _rt("scipy_polygamma", up, c.args[1]))


_row("polygamma", 2, _polygamma)


def _multigammaln(c):
    """multigammaln(a, d) = d(d-1)/4 log(pi) + sum_{j<d} gammaln(a - j/2): a gets g sum_j psi(a - j/2)
    (the d terms along a new last axis); d is an integer dimension."""
    _integer_order(c, 1, "its dimension d")
    a, d = c.args
    terms = _rt("scipy_digamma", NP.expand_dims(a, -1) - NP.arange(d) / 2)
    return _in_dtype(c, 0, c.g * NP.sum(terms, axis=-1)), None


_row("multigammaln", 2, _multigammaln)


def _betaln_parts(c):
    """(d/da, d/db) of betaln, each None where its argument is inactive."""
    a, b = c.args
    both = _rt("scipy_digamma", a + b)
    da = _rt("scipy_digamma", a) - both if c.active(0) else None
    db = _rt("scipy_digamma", b) - both if c.active(1) else None
    return da, db


def _betaln(c):
    da, db = _betaln_parts(c)
    return tuple(None if d is None else _in_dtype(c, i, c.g * d) for i, d in enumerate((da, db)))


def _beta(c):
    da, db = _betaln_parts(c)
    return tuple(None if d is None else _in_dtype(c, i, c.g * c.ans * d) for i, d in enumerate((da, db)))


_row("betaln", 2, _betaln)
_row("beta", 2, _beta)

# ------------------------------------------------------------------------------ error functions
_unary("erf", lambda ans, x: _2_SQRT_PI * NP.exp(-(x * x)))
_unary("erfc", lambda ans, x: -(_2_SQRT_PI * NP.exp(-(x * x))))
_unary("erfcx", lambda ans, x: 2 * x * ans - _2_SQRT_PI)
_unary("erfinv", lambda ans, x: _SQRT_PI_2 * NP.exp(ans * ans))
_unary("erfcinv", lambda ans, x: -(_SQRT_PI_2 * NP.exp(ans * ans)))
_unary("ndtr", lambda ans, x: NP.exp(-(x * x) / 2 - _HALF_LOG_2PI))
_unary("log_ndtr", lambda ans, x: NP.exp(-(x * x) / 2 - _HALF_LOG_2PI - ans))
_unary("ndtri", lambda ans, x: _SQRT_2PI * NP.exp(ans * ans / 2))


# ------------------------------------------------------------------------------ x log y, entropies
def _xlog(pole, log):
    """xlogy (pole 0, log) and xlog1py (pole -1, log1p): x gets g log(y) (log1p(y)), y gets
    g x / (y - pole), with the denominator 1 where x == 0 and y is at the pole (y gets 0 there; the
    result is the constant 0)."""
    def rule(c):
        x, y = c.args
        dx = _in_dtype(c, 0, c.g * log(y)) if c.active(0) else None
        dy = None
        if c.active(1):
            at = NP.logical_and(x.eq(0), y.eq(pole))
            dy = _in_dtype(c, 1, c.g * x / _safe(y - pole if pole else y, at))
        return dx, dy
    return rule


_row("xlogy", 2, _xlog(0, NP.log))
_row("xlog1py", 2, _xlog(-1, NP.log1p))
_unary("entr", lambda ans, x: -NP.log(x) - 1)


def _kl(extra_x, extra_y):
    """kl_div (x gets log x - log y, y gets 1 - x/y) and rel_entr (log x - log y + 1 and -x/y); y's
    share x/y is 0 where x == y == 0."""
    def rule(c):
        x, y = c.args
        dx = _in_dtype(c, 0, c.g * (NP.log(x) - NP.log(y) + extra_x)) if c.active(0) else None
        dy = None
        if c.active(1):
            ratio = x / _safe(y, NP.logical_and(x.eq(0), y.eq(0)))
            dy = _in_dtype(c, 1, c.g * (extra_y - ratio))
        return dx, dy
    return rule


_row("kl_div", 2, _kl(0, 1))
_row("rel_entr", 2, _kl(1, 0))

# ------------------------------------------------------------------------------ Bessel functions
_unary("i0", lambda ans, x: _rt("scipy_i1", x))
_unary("i1", lambda ans, x: NP.where(x.eq(0), 0.5, _rt("scipy_i0", x) - ans / _safe(x, x.eq(0))))
_unary("i0e", lambda ans, x: _rt("scipy_i1e", x) - NP.sign(x) * ans)
_unary("i1e", lambda ans, x: NP.where(x.eq(0), 0.5, _rt("scipy_i0e", x) - ans * (NP.sign(x) + 1 / _safe(x, x.eq(0)))))
# (K_n for x > 0: k0' = -k1, k1' = -k0 - k1/x; the scaled ones exp(x) K_n add their own value)
_unary("k0", lambda ans, x: -_rt("scipy_k1", x))
_unary("k1", lambda ans, x: -_rt("scipy_k0", x) - ans / x)
_unary("k0e", lambda ans, x: ans - _rt("scipy_k1e", x))
_unary("k1e", lambda ans, x: ans * (1 - 1 / x) - _rt("scipy_k0e", x))


# ------------------------------------------------------------------------------ softmax
def _along(c, v):
    """v summed along the call's axis (all axes for None), kept broadcastable against x."""
    return NP.sum(v, axis=c.kw("axis", 1), keepdims=True)


def _softmax(c):
    """s = softmax(x): x gets s (g - sum(g s))."""
    s = c.ans
    return (_in_dtype(c, 0, s * (c.g - _along(c, c.g * s))),) + (None,) * (len(c.args) - 1)


def _softmax_jvp(c):
    s = c.ans
    return s * (c.t(0) - _along(c, c.t(0) * s))


def _log_softmax(c):
    """ans = x - logsumexp(x): x gets g - exp(ans) sum(g)."""
    return (_in_dtype(c, 0, c.g - NP.exp(c.ans) * _along(c, c.g)),) + (None,) * (len(c.args) - 1)


def _log_softmax_jvp(c):
    return c.t(0) - _along(c, NP.exp(c.ans) * c.t(0))


structural("scipy_softmax", _softmax, lazy_g=False, jvp=_softmax_jvp)
structural("scipy_log_softmax", _log_softmax, lazy_g=False, jvp=_log_softmax_jvp)

# what rules/resolve.py maps scipy.special's functions to (psi is digamma)
SPECIAL = ("gammaln", "loggamma", "gamma", "digamma", "polygamma", "multigammaln", "betaln", "beta", "erf",
           "erfc", "erfcx", "erfinv", "erfcinv", "ndtr", "log_ndtr", "ndtri", "xlogy", "xlog1py", "entr", "kl_div",
           "rel_entr", "i0", "i1", "i0e", "i1e", "k0", "k1", "k0e", "k1e", "softmax", "log_softmax")
