"""Rule-table rows for more elementwise functions (remainders, hypot, exp2/logaddexp2, inverse
hyperbolics, angle conversions, fmax/fmin, sinc, cbrt, nan_to_num, heaviside, copysign, ldexp, the
real/imag/conj/angle of real input), the math module's scalar functions (erf, erfc, gamma, lgamma),
more array methods, and index-valued functions (nondiff).

Part of THE rule table (rules/__init__.py imports this module; the rows land in `RULES`).  Subgradients
where the derivative is undefined, documented per row: hypot at (0, 0) and sinc's removable point
give 0 / their limit; copysign's x at 0 gets 0; fmax/fmin send g to the operand they returned
(NaN: the other one; ties: x for fmax, as np.maximum's rule ties go to y -- either is valid).
"""
from __future__ import annotations

import math

from ..builder import E, NP, lift
from ..ir import Call, Const
from .elementwise import lse_weight
from .table import ARITY, Rule, _add, alias, binary, nondiff, structural, unary

LN2 = math.log(2)

alias("np.remainder", "mod")
alias("np.mod", "mod")
binary("np.fmod", lambda g, ans, x, y: (g, -(g * NP.trunc(x / y))))
binary("np.hypot", lambda g, ans, x, y: (g * x / NP.where(ans.eq(0), 1.0, ans),
                                         g * y / NP.where(ans.eq(0), 1.0, ans)))
binary("np.logaddexp2", lambda g, ans, x, y: (g * lse_weight(x, ans, NP.exp2), g * lse_weight(y, ans, NP.exp2)))
unary("np.exp2", lambda g, ans, x: g * ans * LN2)
unary("np.arcsinh", lambda g, ans, x: g / NP.sqrt(x * x + 1))
unary("np.arccosh", lambda g, ans, x: g / NP.sqrt(x * x - 1))
unary("np.arctanh", lambda g, ans, x: g / (1 - x * x))
unary("np.deg2rad", lambda g, ans, x: g * (math.pi / 180))
alias("np.radians", "np.deg2rad")
unary("np.rad2deg", lambda g, ans, x: g * (180 / math.pi))
alias("np.degrees", "np.rad2deg")
unary("np.cbrt", lambda g, ans, x: g / (3 * ans * ans))
# sinc' = (cos(pi x) - sinc(x)) / x, which is 0 at x = 0: written there as -(pi^2 / 3) x, which is 0
# too, so that the derivative of this derivative (a Hessian reads it again) is sinc''(0) = -pi^2 / 3
unary("np.sinc", lambda g, ans, x: g * NP.where(x.eq(0), -(math.pi ** 2 / 3) * x,
                                                 (NP.cos(math.pi * x) - ans) / NP.where(x.eq(0), 1.0, x)))
unary("np.real", lambda g, ans, x: g)
unary("np.conj", lambda g, ans, x: g)
alias("np.conjugate", "np.conj")
unary("np.positive", lambda g, ans, x: g)


def _fmax(g, ans, x, y):
    """fmax returns the operand that is not NaN, else the larger (ties: x)."""
    hit = (x >= y) | NP.isnan(y)
    return (NP.where(hit, g, 0.0), NP.where(hit, 0.0, g))


def _fmin(g, ans, x, y):
    hit = (x <= y) | NP.isnan(y)
    return (NP.where(hit, g, 0.0), NP.where(hit, 0.0, g))


binary("np.fmax", _fmax)
binary("np.fmin", _fmin)


def _copysign(g, ans, x, y):
    """|x| with y's sign: x gets g sign(x) sign(ans) (0 at x = 0); y only flips it (piecewise constant)."""
    return (g * NP.sign(x) * NP.sign(ans), None)


binary("np.copysign", _copysign)
binary("np.ldexp", lambda g, ans, x, i: (NP.ldexp(g, i), None))  # x * 2**i, i an integer
binary("np.heaviside", lambda g, ans, x, h: (None, g * x.eq(0)))  # h is the value at x == 0


def _nan_to_num(c):
    """Finite elements pass through; NaN and infinities become constants (no contribution)."""
    for k in ("nan", "posinf", "neginf"):
        v = c.call.kw(k)
        if v is not None and not isinstance(v, Const):
            raise c.unsupported(f"a computed {k}= (write np.where(np.isnan(x), v, x))")
    return (c.g * NP.isfinite(c.args[0]),) + (None,) * (len(c.args) - 1)


_add(Rule("np.nan_to_num", _nan_to_num, "elementwise"))
ARITY["np.nan_to_num"] = 2  # (x, copy)

# the math module's scalar functions without a numpy twin
# (printed as math_erf(x) ...: runtime.py binds those names to the math functions)
unary("math_erf", lambda g, ans, x: g * (2 / math.sqrt(math.pi)) * NP.exp(-(x * x)))
unary("math_erfc", lambda g, ans, x: -(g * (2 / math.sqrt(math.pi)) * NP.exp(-(x * x))))
unary("math_lgamma", lambda g, ans, x: g * E(Call("digamma", (lift(x),))))
unary("math_gamma", lambda g, ans, x: g * ans * E(Call("digamma", (lift(x),))))

# results that are independent of (np.imag, np.angle of real input: 0 / pi by sign) or piecewise
# constant in the values of their floating arguments: indices, counts, signs
nondiff("np.imag", "np.angle", "np.signbit", "np.fix", "np.argpartition", "np.nonzero", "np.flatnonzero",
        "np.searchsorted", "np.digitize", ".argsort", ".nonzero", "np.around", ".round")

alias(".conj", "np.conj")
alias(".conjugate", "np.conj")


def _in_place(c):
    raise c.unsupported("x.sort() (it sorts in place): write x = np.sort(x)")


structural(".sort", _in_place, lazy_g=False, jvp=_in_place)

# the rows above the Triton backend computes with numpy's semantics (rules/__init__.py keeps the
# others numpy-only): the elementwise ones in its kernels (triton/functions.py) or on the host
# through a torch twin with the same semantics (triton/torchnp.py).  Left out, so refused there:
# np.ldexp (torch.ldexp multiplies by 2.0**i, which overflows where numpy's does not), np.imag
# (torch.imag rejects real tensors), np.angle, np.around/.round, the math module's functions and
# the index-valued rows (torch's sort is not stable, nonzero is laid out differently).
TORCH_TWINS = frozenset({
    "np.remainder", "np.mod", "np.fmod", "np.hypot", "np.logaddexp2", "np.exp2", "np.arcsinh", "np.arccosh",
    "np.arctanh", "np.deg2rad", "np.radians", "np.rad2deg", "np.degrees", "np.cbrt", "np.sinc", "np.real",
    "np.conj", "np.conjugate", "np.positive", "np.fmax", "np.fmin", "np.copysign", "np.heaviside",
    "np.nan_to_num", ".conj", ".conjugate", "np.signbit", "np.fix"})
