"""Rule-table row for np.lib.stride_tricks.sliding_window_view (both import forms,
`from numpy.lib.stride_tricks import sliding_window_view` and the full path, are the same function).

Part of THE rule table (rules/__init__.py imports this module).  Guarantees:
- sliding_window_view(x, window_shape, axis)[i..., j...] = x[i + offsets(j)], where axis k of the
  window adds its offset j_k to axis axis[k] of x (axis=None: one window axis per axis of x;
  repeated axes add their offsets, as numpy's view does).  The view is linear in x: x gets
  runtime_scipy.sliding_window_adjoint(g, ...) -- for each window offset the cotangent of those
  windows added back to the slice of x they read, a Python loop over the window offsets only --
  and the tangent is the same view of x's tangent;
- window_shape and axis may be computed at run time (the helper reads them then);
- subok=True (a subclass view) and writeable=True (a writable view whose elements alias each
  other) are refused by name, as are these options computed at run time.
"""
from __future__ import annotations

from ..builder import NP
from ..ir import Const
from .signal import _in_dtype, _rt
from .table import linear, structural

OP = "np.lib.stride_tricks.sliding_window_view"


def _options(c):
    """(window_shape, axis) of the call, as expressions; the refusals of the module docstring."""
    for k in ("subok", "writeable"):
        v = c.call.kw(k)
        if v is None:
            continue
        if not isinstance(v, Const):
            raise c.unsupported(f"'{k}=' computed at run time (it must be a constant)")
        if v.value:
            raise c.unsupported(f"{k}=True (" + ("a subclass of ndarray" if k == "subok" else
                                                 "a writable view whose windows share elements") + ")")
    if len(c.call.args) > 3:
        raise c.unsupported("more than x, window_shape and axis given by position")
    window = c.call.args[1] if len(c.call.args) > 1 else c.call.kw("window_shape")
    if window is None:
        raise c.unsupported("a call without window_shape")
    axis = c.call.args[2] if len(c.call.args) > 2 else c.call.kw("axis")
    return window, Const(None) if axis is None else axis


def _sliding_window(c):
    """x gets each window's cotangent added back where the window reads x."""
    window, axis = _options(c)
    shape = c.shape(0)
    shape = Const(tuple(shape)) if shape is not None else NP.shape(c.args[0])
    return (_in_dtype(c, 0, _rt("sliding_window_adjoint", c.g, shape, window, axis)),) + (None,) * (len(c.args) - 1)


def _sliding_window_jvp(c):
    _options(c)
    return linear(0)(c)


structural(OP, _sliding_window, lazy_g=False, jvp=_sliding_window_jvp)
