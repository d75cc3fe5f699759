"""Rule-table rows for np.fft and for complex values: the transforms fft, ifft, rfft, irfft, fft2,
ifft2, rfft2, irfft2, fftn, ifftn, rfftn, irfftn (n=/s=, axis=/axes=, norm=), fftshift and
ifftshift, fftfreq and rfftfreq; and the complex cases of np.abs (abs), np.real, np.imag, np.conj
(np.conjugate, x.conj()), np.angle and the attributes x.real, x.imag.

THE CONVENTION (JAX's): the loss L is real; the cotangent of a complex value z = x + i y is
    zbar = dL/dx - i dL/dy,    so that    dL = Re(sum(zbar * dz))    (no conjugate in the pairing).
Then a holomorphic function w = f(z) has zbar = wbar * f'(z): exactly the real rows' formulas, so
add, mul, truediv, pow, exp, sum, indexing, matmul... need no change for complex values, and an
elementwise row's forward rule (its vjp evaluated on the tangent, ad/forward.py) stays right.  The
cotangent of a real value is real: the real part of what a complex formula gives (dL = Re(zbar dx)
for real dx); the reverse driver takes it where a complex contribution reaches a real variable
(ad/accumulate.py), and the helpers here return real arrays for real arguments.  Consequences:
- a complex-linear map w = A z has zbar = A^T wbar (transpose, not conjugate transpose): the DFT
  matrix is symmetric, so fft's cotangent is fft(g) with the same norm, ifft's ifft(g); zero padding
  or truncation to n/s is undone after (runtime_fft.fft_adjoint, whose docstring has rfft's and
  irfft's adjoints: rfft's through the full transform of the zero-extended half spectrum, irfft's
  with the interior bins doubled and DC/Nyquist once); the tangent is the same transform of the
  argument's tangent;
- |z|: zbar = g conj(z) / |z| (0 at z = 0), tangent Re(conj(z) dz) / |z|; Re(z): zbar = g, tangent
  Re(dz); Im(z): zbar = -i g, tangent Im(dz); conj(z): zbar = conj(g), tangent conj(dz); angle(z):
  zbar = -i g / z = -i g conj(z) / |z|^2 (0 at z = 0; times 180/pi for deg=True), tangent
  Im(conj(z) dz) / |z|^2.  These are not holomorphic, so their reverse and forward formulas differ
  (the rule reads `c.forward`).  For a real argument the rows keep their real rules (np.imag and
  np.angle of a real array: no derivative, as before).
- fftshift/ifftshift are permutations: the cotangent goes back through the other one (same axes);
- fftfreq(n, d)/rfftfreq(n, d) = k / (n d): n is an integer (no derivative), d gets -sum(g ans) / d.
A value is taken as complex where shape inference knows its dtype to be complex; one whose dtype it
lost is differentiated with the real rules.  The numba and Triton backends refuse these rows.
"""
from __future__ import annotations

import math

import numpy as np

from ..builder import E, NP
from ..ir import Call, Const, Tuple
from .table import ARITY, RULES, Rule, _guarded, alias, linear, structural

# ------------------------------------------------------------------------------ transforms
# op -> (kind for runtime_fft.fft_adjoint, form): form 1 takes (n, axis), 2 and n take (s, axes)
# with default axes (-2, -1) and None (all)
TRANSFORMS = {}
for _name, _kind in (("fft", "c"), ("ifft", "ic"), ("rfft", "r"), ("irfft", "ir")):
    TRANSFORMS[f"np.fft.{_name}"] = (_kind, "1")
    TRANSFORMS[f"np.fft.{_name}2"] = (_kind, "2")
    TRANSFORMS[f"np.fft.{_name}n"] = (_kind, "n")


def _given(c, k):
    v = c.call.kw(k)
    return None if v is None or (isinstance(v, Const) and v.value is None) else v


def _options(c):
    """(kind, s, axes, norm) of a transform's call, as expressions (they may be computed at run time:
    the helper reads them then)."""
    kind, form = TRANSFORMS[c.call.op]
    if len(c.call.args) > 1:
        raise c.unsupported("options given by position after the array (name them)")
    if form == "1":
        n, axis = _given(c, "n"), _given(c, "axis")
        s = Const(None) if n is None else Tuple((n,))
        axes = Const((-1,)) if axis is None else Tuple((axis,))
    else:
        s = _given(c, "s") or Const(None)
        axes = c.call.kw("axes") or Const((-2, -1) if form == "2" else None)
    return kind, s, axes, c.call.kw("norm") or Const(None)


def _transform(c):
    kind, s, axes, norm = _options(c)
    if not c.active(0):
        return (None,)
    return (E(Call("fft_adjoint", (c.g.e, c.args[0].e, Const(kind), s, axes, norm))),)


def _transform_jvp(c):
    _options(c)
    return linear(0)(c)


for _op in TRANSFORMS:
    structural(_op, _transform, lazy_g=False, jvp=_transform_jvp)


# ------------------------------------------------------------------------------ shifts, frequencies
def _shift(back):
    def vjp(c):
        axes = c.call.kw("axes") or Const(None)
        return (E(Call(back, (c.g.e,), (("axes", axes),))),)
    return vjp


structural("np.fft.fftshift", _shift("np.fft.ifftshift"), lazy_g=False, jvp=linear(0))
structural("np.fft.ifftshift", _shift("np.fft.fftshift"), lazy_g=False, jvp=linear(0))


def _freq(c):
    """fftfreq(n, d) = k / (n d): d gets -sum(g ans) / d; n is an integer count."""
    if c.active(0):
        raise c.unsupported("differentiating with respect to n (an integer count)")
    d = c.args[1] if len(c.args) > 1 else None
    if d is None or not c.active(1):
        return (None,) * len(c.args)
    return None, E(Call("fftfreq_adjoint", (c.g.e, c.ans.e, d.e)))


def _freq_jvp(c):
    if len(c.args) < 2 or not c.has_tangent(1):
        return None
    return -(c.ans * c.t(1)) / c.args[1]


for _op in ("np.fft.fftfreq", "np.fft.rfftfreq"):
    structural(_op, _freq, lazy_g=False, shape_from_values=True, jvp=_freq_jvp)


# ------------------------------------------------------------------------------ complex elementwise
def _complex(c, i=0):
    """Whether argument i is complex (shape inference's dtype; a Python complex number too).  One
    whose dtype was lost, in a function that holds complex values, is refused: neither formula
    could be chosen soundly (rules/complex_guard.py)."""
    from .complex_guard import dtype_kind
    kind = dtype_kind(c._abstract(i))
    if kind is None and c.may_hold_complex():
        raise c.unsupported("an argument whose dtype is known only at run time, in a function that holds "
                            "complex values (its complex and real derivatives differ)")
    return kind == "c"


def _safe(x, at):
    return NP.where(at, 1.0, x)


def _abs(c):
    z, ans, g = c.args[0], c.ans, c.g
    zero = ans.eq(0)
    if c.forward:  # Re(conj(z) dz) / |z|
        return (NP.where(zero, 0.0, NP.real(NP.conj(z) * g) / _safe(ans, zero)),)
    return (NP.where(zero, 0.0, g * NP.conj(z) / _safe(ans, zero)),)


def _real(c):
    return (NP.real(c.g) if c.forward else c.g,)


def _imag(c):
    return (NP.imag(c.g) if c.forward else -(E(Const(1j)) * c.g),)


def _conj(c):
    return (NP.conj(c.g),)


def _angle(c):
    z, g = c.args[0], c.g
    r2 = NP.real(z * NP.conj(z))
    zero = r2.eq(0)
    if c.forward:  # Im(conj(z) dz) / |z|^2
        out = NP.where(zero, 0.0, NP.imag(NP.conj(z) * g) / _safe(r2, zero))
    else:  # -i g conj(z) / |z|^2
        out = NP.where(zero, 0.0, -(E(Const(1j)) * g * NP.conj(z)) / _safe(r2, zero))
    if c.kw("deg", None, False):
        out = out * (180 / math.pi)
    return (out,)


def _complex_aware(op, complex_rule, real_rule=None):
    """Row `op` with its complex case: complex_rule(c) where argument 0 is complex, else the row's
    own (real) rule, or real_rule (np.imag/np.angle of a real value: no derivative)."""
    old = RULES.get(op)
    real_vjp = _guarded(real_rule) if real_rule is not None else old.vjp
    complex_vjp = _guarded(complex_rule)

    def vjp(c):
        return complex_vjp(c) if _complex(c) else real_vjp(c)
    vjp.__wrapped__ = getattr(real_vjp, "__wrapped__", real_vjp)
    ARITY[op] = 1
    RULES[op] = Rule(op, vjp, "elementwise", True, False, None)


def _none(c):
    return (None,) * len(c.args)


for _op in ("np.abs", "abs"):
    _complex_aware(_op, _abs)
_complex_aware("np.real", _real)
for _op in ("np.conj", "np.conjugate", ".conj", ".conjugate"):
    _complex_aware(_op, _conj)
_complex_aware("np.imag", _imag, _none)
_complex_aware("np.angle", _angle, _none)
alias("@real", "np.real")
alias("@imag", "np.imag")


def _vdot_complex(c):
    """vdot(a, b) = sum(conj(a) * b) (numpy conjugates its first argument): b's cotangent is
    g conj(a), a's the conjugate of g b (through conj, as np.conj's row gives it)."""
    g, a, b = c.g, c.args[0], c.args[1]
    if c.shape(0) is not None and c.shape(0) == c.shape(1):
        return (NP.conj(g * b), g * NP.conj(a))
    return (NP.conj(g * NP.ravel(b)).method("reshape", NP.shape(a)),
            (g * NP.conj(NP.ravel(a))).method("reshape", NP.shape(b)))


def _vdot_aware():
    """np.vdot's row with its complex case (either argument complex), its real rule otherwise; its
    forward rule, vdot of the tangents, is right for both (vdot is conjugate-linear in a)."""
    old = RULES["np.vdot"]
    real_vjp, complex_vjp = old.vjp, _guarded(_vdot_complex)

    def vjp(c):
        return complex_vjp(c) if _complex(c, 0) or _complex(c, 1) else real_vjp(c)
    vjp.__wrapped__ = getattr(real_vjp, "__wrapped__", real_vjp)
    RULES["np.vdot"] = Rule(old.op, vjp, old.kind, old.lazy_g, old.shape_from_values, old.jvp)


_vdot_aware()

_RESULT_DTYPES = {}


def result_dtype(op, dtype):
    """The dtype of transform `op`'s result for an array of `dtype` (None for another op): what
    passes/shapes.py records where an option (n=, s=) or the array's dtype is known only at run
    time.  An unknown dtype gives complex128 for the complex results (only their being complex
    matters to the rows here), None for the real ones (irfft...)."""
    if op not in TRANSFORMS:
        return None
    if dtype is None:
        return None if TRANSFORMS[op][0] == "ir" else np.dtype(np.complex128)
    key = (op, np.dtype(dtype))
    if key not in _RESULT_DTYPES:
        try:
            fn = getattr(np.fft, op[len("np.fft."):])
            _RESULT_DTYPES[key] = fn(np.ones((4, 4), dtype)).dtype
        except Exception:  # noqa: BLE001 - a dtype numpy's transforms refuse
            _RESULT_DTYPES[key] = None
    return _RESULT_DTYPES[key]
