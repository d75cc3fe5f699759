"""Rule-table rows for scipy.signal.convolve2d and correlate2d (in1, in2, mode='full',
boundary='fill', fillvalue=0), every mode ('full', 'same', 'valid') and boundary ('fill', 'wrap',
'symm').

Part of THE rule table; rules/resolve.py maps scipy.signal's functions to these rows, whose names
are the run-time helpers the generated code calls (runtime_signal2d.py, whose docstring has the
rewriting the adjoints rest on).  Guarantees: the value is scipy's; in1 and in2 each get the exact
vector-Jacobian product (the result is linear in each, the padded copies of in1's elements summed
back onto them: runtime_grads.pad_grad); the tangent is op(d in1, in2) with the fill value 0 plus
op(in1, d in2); mode, boundary and fillvalue must be constants (a differentiated fillvalue is
refused), and the arrays 2-D (checked when the code runs)."""
from __future__ import annotations

from ..builder import E, lift
from ..ir import Call, Const
from .table import structural


def _options(c):
    mode, boundary = c.kw("mode", 2, "full"), c.kw("boundary", 3, "fill")
    fill = c.call.kw("fillvalue") if c.call.kw("fillvalue") is not None else (
        c.call.args[4] if len(c.call.args) > 4 else Const(0))
    if mode not in ("full", "same", "valid") or boundary not in ("fill", "wrap", "symm"):
        raise c.unsupported(f"mode={mode!r}, boundary={boundary!r} (differentiated: 'full', 'same', 'valid'; "
                            "'fill', 'wrap', 'symm')")
    if len(c.args) > 4 and c.active(4):
        raise c.unsupported("a differentiated fillvalue (write op(x - v, k) + v * op(ones, k) instead)")
    return Const(c.call.op[len("scipy_"):-2]), Const(mode), Const(boundary), fill


def _conv2d(c):
    op, mode, boundary, fill = _options(c)
    out = [None] * len(c.args)
    for i in (0, 1):
        if c.active(i):
            out[i] = E(Call("conv2d_adjoint", (lift(c.g), c.args[0].e, c.args[1].e, op, mode, boundary, fill,
                                               Const(i))))
    return tuple(out)


def _conv2d_jvp(c):
    if not (c.has_tangent(0) or c.has_tangent(1)):
        return None
    op, mode, boundary, fill = _options(c)
    dx, dk = (c.t(i) if c.has_tangent(i) else None for i in (0, 1))
    return E(Call("conv2d_tangent", (c.args[0].e, c.args[1].e, lift(dx), lift(dk), op, mode, boundary, fill)))


structural("scipy_convolve2d", _conv2d, lazy_g=False, jvp=_conv2d_jvp)
structural("scipy_correlate2d", _conv2d, lazy_g=False, jvp=_conv2d_jvp)
