"""Kernel code for the elementwise functions issue 11 added (rules/more.py), with numpy's semantics.

Triton's interpreter has no libdevice (`extern_elementwise` raises there) and the kernels must read
the same on a GPU, so each function is written from the operations the other kernels already use
(exp, exp2, log, sqrt, sin, abs, where, maximum/minimum propagating NaN) with numpy's special
cases spelled out: NaN in gives NaN out (or what numpy gives: fmax/fmin return the other operand,
hypot(inf, nan) is inf), signed zeros kept where numpy keeps them (arcsinh, arctanh, cbrt),
infinities handled before any inf - inf, and log1p computed without cancellation (Goldberg's
`log(u) * e / (u - 1)` with u = 1 + e).  Results agree with numpy's to a few units in the last place.

Constants that float32 cannot hold exactly (pi, ln 2) are passed in by the caller from the kernel's
scalar slots, in the computation's dtype, as numpy's own float32 arithmetic rounds them.

`KERNEL_FUNCTIONS` maps a rule-table op to how it prints (kernelexpr.KernelExpressions.ex calls
`emit`); `helpers_for(source)` gives the `@triton.jit` helpers a module's kernels call, so a
module that uses none of them is unchanged.  Rows not here stay on the host (torchnp.py gives each
a torch twin with numpy's semantics) or are refused (rules.NUMPY_ONLY).
"""
from __future__ import annotations

import math
import re

_HELPERS = {
    "_log1p": '''
@triton.jit
def _log1p(e):
    # log(1 + e) without cancellation for small e: u = 1 + e rounded, log(u) * e / (u - 1)
    u = 1.0 + e
    r = tl.where(u == 1.0, e, tl.log(u) * (e / (u - 1.0)))
    return tl.where(u == float('inf'), u, r)
''',
    "_hypot": '''
@triton.jit
def _hypot(x, y):
    # m * sqrt(1 + (n/m)**2) with m = max(|x|, |y|): no overflow for large operands; inf wins over NaN
    a = tl.abs(x)
    b = tl.abs(y)
    m = tl.maximum(a, b, propagate_nan=tl.PropagateNan.ALL)
    n = tl.minimum(a, b, propagate_nan=tl.PropagateNan.ALL)
    q = n / tl.where(m == 0, 1.0, m)
    r = m * tl.sqrt(1.0 + q * q)
    # one where per operand, no `|`: an operand may be a Python number (np.hypot(W, 0.5))
    r = tl.where(a == float('inf'), float('inf'), r)
    return tl.where(b == float('inf'), float('inf'), r)
''',
    "_logaddexp": '''
@triton.jit
def _logaddexp(x, y, ln2):
    # numpy's npy_logaddexp: x + ln 2 at x == y (infinities included), else max + log1p(exp(-|x - y|))
    m = tl.maximum(x, y, propagate_nan=tl.PropagateNan.ALL)
    r = m + _log1p(tl.exp(-tl.abs(x - y)))
    return tl.where(x == y, x + ln2, r)
''',
    "_logaddexp2": '''
@triton.jit
def _logaddexp2(x, y, log2e):
    # numpy's npy_logaddexp2: x + 1 at x == y, else max + log2(1 + 2**-|x - y|)
    m = tl.maximum(x, y, propagate_nan=tl.PropagateNan.ALL)
    r = m + _log1p(tl.exp2(-tl.abs(x - y))) * log2e
    return tl.where(x == y, x + 1.0, r)
''',
    "_arcsinh": '''
@triton.jit
def _arcsinh(x, ln2):
    # log1p(a + a*a / (1 + sqrt(1 + a*a))) for a = |x| (no cancellation near 0), log(a) + ln 2 once
    # a*a + 1 is a*a (and before a*a overflows); odd, -0.0 kept
    a = tl.abs(x)
    r = tl.where(a > 268435456.0, tl.log(a) + ln2, _log1p(a + a * a / (1.0 + tl.sqrt(1.0 + a * a))))
    return tl.where(x == 0, x, tl.where(x < 0, -r, r))
''',
    "_arccosh": '''
@triton.jit
def _arccosh(x, ln2):
    # log1p(t + sqrt(2t + t*t)) with t = x - 1 (exact near 1), log(x) + ln 2 for large x; NaN below 1
    t = x - 1.0
    r = tl.where(x > 268435456.0, tl.log(x) + ln2, _log1p(t + tl.sqrt(2.0 * t + t * t)))
    return tl.where(x < 1.0, float('nan'), r)
''',
    "_arctanh": '''
@triton.jit
def _arctanh(x):
    # 0.5 * log1p(2a / (1 - a)) for a = |x|: +-inf at +-1, NaN beyond; odd, -0.0 kept
    a = tl.abs(x)
    r = tl.where(a == 1.0, float('inf'), 0.5 * _log1p(2.0 * a / (1.0 - a)))
    return tl.where(x == 0, x, tl.where(x < 0, -r, r))
''',
    "_cbrt": '''
@triton.jit
def _cbrt(x):
    # exp(log|x| / 3) and one Newton step (r - (r - a / r**2) / 3: no overflow); 0, inf, NaN and the
    # sign (-0.0 too) pass through
    a = tl.abs(x)
    r = tl.exp(tl.log(a) / 3.0)
    r = r - (r - a / (r * r)) / 3.0
    r = tl.where((a == 0) | (a == float('inf')), a, r)
    return tl.where(x == 0, x, tl.where(x < 0, -r, r))
''',
    "_sinc": '''
@triton.jit
def _sinc(x, pi):
    # sin(pi x) / (pi x), 1 at 0 (numpy's np.sinc)
    y = pi * x
    return tl.where(x == 0, 1.0, tl.sin(y) / tl.where(x == 0, 1.0, y))
''',
    "_heaviside": '''
@triton.jit
def _heaviside(x, h):
    # 0 below 0, h at 0, 1 above; NaN stays NaN
    return tl.where(x != x, x, tl.where(x == 0, h, tl.where(x > 0, 1.0, 0.0)))
''',
}
HELPER_NAMES = frozenset(_HELPERS)
# helpers that call other helpers
_NEEDS = {"_logaddexp": ("_log1p",), "_logaddexp2": ("_log1p",), "_arcsinh": ("_log1p",),
          "_arccosh": ("_log1p",), "_arctanh": ("_log1p",)}

_IDENTITY = {"np.real", "np.conj", "np.conjugate", "np.positive"}  # on real input: x itself
_SCALE = {"np.deg2rad": math.pi / 180, "np.radians": math.pi / 180,  # numpy: x * (pi / 180)
          "np.rad2deg": 180 / math.pi, "np.degrees": 180 / math.pi}
# op -> (helper, constants passed after the operands)
_CALLS = {"np.hypot": ("_hypot", ()), "np.logaddexp": ("_logaddexp", (math.log(2),)),
          "np.logaddexp2": ("_logaddexp2", (1 / math.log(2),)), "np.arcsinh": ("_arcsinh", (math.log(2),)),
          "np.arccosh": ("_arccosh", (math.log(2),)), "np.arctanh": ("_arctanh", ()), "np.cbrt": ("_cbrt", ()),
          "np.sinc": ("_sinc", (math.pi,)), "np.heaviside": ("_heaviside", ())}
KERNEL_FUNCTIONS = frozenset(_IDENTITY | set(_SCALE) | set(_CALLS) | {"np.exp2", "np.fmax", "np.fmin", "np.copysign"})


def emit(ks, e):
    """Kernel text for call e (an op in KERNEL_FUNCTIONS), via KernelSource ks."""
    op = e.op
    if op in _IDENTITY:
        return ks.ex(e.args[0])
    args = [ks.ex(a) for a in e.args]
    if op in _SCALE:
        return ks.bind(f"{args[0]} * {ks.const(_SCALE[op])}")
    if op == "np.exp2":
        return ks.bind(f"tl.exp2({args[0]})")
    if op in ("np.fmax", "np.fmin"):
        # the operand that is not NaN, else the larger (smaller); NaN only when both are
        a, b = args
        cmp = ">=" if op == "np.fmax" else "<="
        if _is_literal(a):  # tl.where wants a tensor condition: the tensor first (fmax(a, b) is
            a, b = b, a     # fmax(b, a) but for which NaN it returns, and a number is never NaN)
        if _is_literal(b):  # a number is never NaN
            return ks.bind(f"tl.where({a} {cmp} {b}, {a}, {b})")
        return ks.bind(f"tl.where({b} != {b}, {a}, tl.where({a} {cmp} {b}, {a}, {b}))")
    if op == "np.copysign":
        return _copysign(ks, e, args)
    if op == "np.heaviside" and _is_literal(args[0]):  # a number x: 0, h, 1 or NaN, in h's shape
        x = float(args[0])
        if x == 0:
            return args[1]
        fill = "float('nan')" if math.isnan(x) else "1.0" if x > 0 else "0.0"
        return ks.bind(f"tl.zeros_like({args[1]}) + {fill}")
    helper, consts = _CALLS[op]
    return ks.bind(f"{helper}({', '.join(args + [ks.const(c) for c in consts])})")


def _copysign(ks, e, args):
    """|x| with y's sign bit (numpy reads the bit: -0.0 and -NaN count as negative)."""
    from ..ir import Const
    a, b = args
    y = e.args[1]
    if isinstance(y, Const):
        neg = math.copysign(1.0, float(y.value)) < 0
        return ks.bind(f"-tl.abs({a})" if neg else f"tl.abs({a})")
    bits = "tl.int64" if ks.dt == "tl.float64" else "tl.int32"
    return ks.bind(f"tl.where({b}.to({bits}, bitcast=True) < 0, -tl.abs({a}), tl.abs({a}))")


def _is_literal(text):
    try:
        float(text)
        return True
    except ValueError:
        return False


def helpers_for(kernels_text):
    """The helper definitions the kernels in kernels_text call (dependencies first), or ""."""
    used = [h for h in _HELPERS if re.search(rf"\b{h}\(", kernels_text)]
    for h in list(used):
        used += [d for d in _NEEDS.get(h, ()) if d not in used]
    order = [h for h in _HELPERS if h in used]  # _log1p is defined first
    return "".join(_HELPERS[h] for h in order)
