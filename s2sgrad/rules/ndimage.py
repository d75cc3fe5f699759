"""The rule-table row for scipy.ndimage.map_coordinates(input, coordinates, output=None, order=3,
mode='constant', cval=0.0, prefilter=True), of spline order 0 or 1 (nearest and linear
interpolation), in every mode runtime_ndimage.SUPPORTED_MODES lists.

Part of THE rule table; rules/resolve.py maps scipy.ndimage.map_coordinates to this row, whose name
is the run-time helper the generated code calls for the value (scipy's own).  Guarantees: `input`
gets the exact vector-Jacobian product (the value is linear in it: the corner weights scattered
back), `coordinates` the derivative of the interpolation (zero for order 0, and where the mode
clamps); the tangent is the same derivative forward (runtime_ndimage.py has the semantics per
mode, checked against scipy, and the convention where a coordinate sits on a sample).  Refused:
orders 2 to 5 (scipy's default is 3: B-splines with a prefilter), other modes, an `output` array,
and a differentiated `cval`."""
from __future__ import annotations

from ..builder import E, lift
from ..ir import Call, Const
from ..runtime_ndimage import SUPPORTED_MODES, SUPPORTED_ORDERS
from .table import structural


def _options(c):
    if c.kw("output", 2, None) is not None:
        raise c.unsupported("an output array (use the returned value)")
    order, mode, cval = c.kw("order", 3, 3), c.kw("mode", 4, "constant"), c.call.args[5] if len(c.call.args) > 5 \
        else (c.call.kw("cval") or Const(0.0))
    if order not in SUPPORTED_ORDERS:
        raise c.unsupported(f"order={order!r} (spline interpolation; scipy's default is 3): differentiated are "
                            "order=1 (linear) and order=0 (nearest); pass order=1")
    if mode not in SUPPORTED_MODES:
        raise c.unsupported(f"mode={mode!r} (differentiated: {', '.join(repr(m) for m in SUPPORTED_MODES)})")
    if len(c.call.args) > 5 and c.active(5):
        raise c.unsupported("a differentiated cval (write map_coordinates(x - v, ...) + v for the constant v)")
    return Const(order), Const(mode), cval


def _adjoint(c):
    order, mode, cval = _options(c)
    out = [None] * len(c.args)
    for i in (0, 1):
        if c.active(i):
            out[i] = E(Call("map_coordinates_adjoint", (lift(c.g), c.args[0].e, c.args[1].e, order, mode, cval,
                                                        Const(i))))
    return tuple(out)


def _tangent(c):
    if not (c.has_tangent(0) or c.has_tangent(1)):
        return None
    order, mode, cval = _options(c)
    dx, dc = (c.t(i) if c.has_tangent(i) else None for i in (0, 1))
    return E(Call("map_coordinates_tangent", (c.args[0].e, c.args[1].e, lift(dx), lift(dc), order, mode, cval)))


structural("scipy_map_coordinates", _adjoint, lazy_g=False, jvp=_tangent)
