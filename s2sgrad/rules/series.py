"""Rule-table rows for numpy.polynomial's series evaluated at points: polynomial.polyval (ascending
coefficients), chebyshev.chebval, legendre.legval, hermite.hermval, hermite_e.hermeval and
laguerre.lagval, each `val(x, c)` for a 1-D coefficient array c, and the derivatives of the series
(polyder, chebder, ..., `der(c, m, scl)`), linear in c.

Part of THE rule table (rules/__init__.py imports this module).  Guarantees: each value is linear in
c -- c gets the pseudo-Vandermonde product `ravel(g) @ vander(ravel(x), n - 1)` -- and x gets
`g * val(x, der(c))`, the series of the derivative; forward mode adds `val(x, dc)` and
`val(x, der(c)) * dx`.  One number c is the constant series.  Coefficients of more than one
dimension, of a shape unknown when compiling,
or `tensor=` given, are refused at the call.
"""
from __future__ import annotations

from ..builder import E, NP, lift
from ..ir import Call, Const
from .table import linear, structural

# numpy.polynomial module -> its prefix (polyval, chebval, ...)
KINDS = {"polynomial": "poly", "chebyshev": "cheb", "legendre": "leg", "hermite": "herm", "hermite_e": "herme",
         "laguerre": "lag"}


def _fn(module, name, *args):
    return E(Call(f"np.polynomial.{module}.{name}", tuple(lift(a) for a in args)))


def _checked(c):
    """The number of coefficients (0 for one number c: a constant series)."""
    if c.call.kwargs:
        raise c.unsupported("tensor= (the result's shape would follow c's other axes)")
    if c.is_number(1) or c.shape(1) == ():
        return 0
    sc = c.shape(1)
    if sc is None or len(sc) != 1:
        raise c.unsupported("coefficients c that are not a 1-D array (or whose shape is unknown when compiling)")
    return sc[0]


def _rows(module, prefix):
    def vjp(c):
        """x gets g val(x, der(c)); c gets ravel(g) @ vander(ravel(x), n - 1)."""
        n = _checked(c)
        x, coef, g = c.args[0], c.args[1], c.g
        gx = gc = None
        if c.active(0) and n > 1:  # (a constant series has no slope)
            gx = g * _fn(module, f"{prefix}val", x, _fn(module, f"{prefix}der", coef))
        if c.active(1) and n == 0:  # c a number: the constant term, 1 everywhere
            gc = NP.sum(NP.broadcast_to(g, NP.shape(x)))
        elif c.active(1):
            gc = NP.ravel(NP.broadcast_to(g, NP.shape(x))) @ _fn(module, f"{prefix}vander", NP.ravel(x), n - 1)
        return (gx, gc)

    def jvp(c):
        n = _checked(c)
        x, coef = c.args[0], c.args[1]
        out = _fn(module, f"{prefix}val", x, c.t(1)) if c.t(1) is not None else None
        if c.t(0) is not None and n > 1:
            term = _fn(module, f"{prefix}val", x, _fn(module, f"{prefix}der", coef)) * c.t(0)
            out = term if out is None else out + term
        return out
    structural(f"np.polynomial.{module}.{prefix}val", vjp, lazy_g=False, jvp=jvp)


def _der_rows(module, prefix):
    def vjp(c):
        """der(c, m, scl) = D @ c with D = der(eye(n), m, scl): c gets D.T @ g."""
        if c.is_number(0) or c.shape(0) == ():
            return (None,)  # (the derivative of a constant series: no coefficients left)
        sc = c.shape(0)
        if sc is None or len(sc) != 1 or any(k not in ("m", "scl") for k, _ in c.call.kwargs):
            raise c.unsupported("coefficients c that are not a 1-D array (or whose shape is unknown when compiling), "
                                "or axis=")
        m, scl = c.kw("m", None, 1), c.kw("scl", None, 1)  # (constants: refused when computed at run time)
        D = E(Call(f"np.polynomial.{module}.{prefix}der", (NP.eye(sc[0]).e,),
                   tuple((k, Const(v)) for k, v in (("m", m), ("scl", scl)) if v != 1)))
        return (D.T @ c.g,)
    structural(f"np.polynomial.{module}.{prefix}der", vjp, lazy_g=False, jvp=linear(0))


for _module, _prefix in KINDS.items():
    _rows(_module, _prefix)
    _der_rows(_module, _prefix)
