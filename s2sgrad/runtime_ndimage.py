"""scipy.ndimage.map_coordinates of spline order 0 or 1: its value re-implemented in numpy, and the
adjoint and tangent of that value in `input` and in `coordinates`.

Guarantees (tests/test_runtime_ndimage.py checks each against scipy on this machine):

* `map_coordinates_value(input, coordinates, order, mode, cval)` equals scipy's
  `map_coordinates(input, coordinates, order=order, mode=mode, cval=cval)` to rounding (1e-12
  relative in float64) for every mode in SUPPORTED_MODES, any rank, coordinates inside and outside
  the input, on integers, half-integers and the edges, for real floating `input` (float32 to float32
  rounding).  It follows scipy's own steps: each coordinate is first mapped into the input by the
  mode, exactly as scipy's C code maps it (the same truncated divisions, so the same rounding and
  the same tie-breaking at half-integers for order 0), then the 2^N corner samples around it are
  weighted (order 1) or the nearest one taken (order 0, rounding half up: floor(c + 0.5)), and a
  corner index outside the input is mapped again by the mode.  Per mode, with n the length of an
  axis:
    'nearest'        the coordinate is not mapped; corner indices are clamped to [0, n - 1].
    'constant'       a point with any coordinate outside [0, n - 1] (closed; -1e-17 is outside) is
                     cval, with no interpolation towards cval; inside, plain interpolation.
    'grid-constant'  the coordinate is not mapped; a corner index outside [0, n) reads cval, so
                     order 1 interpolates between the edge sample and cval over one unit.
    'reflect' = 'grid-mirror'  the samples extended as a b c | c b a | a b c (period 2n); the
                     interpolant is flat over [-1, 0] and [n - 1, n].
    'mirror'         extended as a b c | b a | b c (period 2n - 2), about the edge samples.
    'grid-wrap'      extended periodically with period n (n - 1 interpolates towards sample 0).
    'wrap'           scipy's older periodic mode, period n - 1 in the coordinate: sample n - 1 is
                     only reached at coordinates that map to exactly n - 1, so the interpolant
                     jumps between a[n - 1] and a[0] at multiples of n - 1 (which side a multiple
                     takes follows scipy's mapping: k(n - 1) for k < 0 and n - 1 give a[n - 1],
                     0 and k(n - 1) for k > 1 give a[0]).
  An axis of length 1 reads its one sample everywhere (cval outside 0 for 'constant', and for
  'grid-constant' the interpolation towards cval).
* The adjoints and the tangent are exact derivatives of that value: it is linear in `input` (the
  adjoint scatters g times each corner weight, np.add.at) and piecewise linear (order 1) or
  piecewise constant (order 0: zero derivative) in each coordinate.  Where a coordinate sits on a
  knot (an integer after mapping), the derivative is the one from the right in the coordinate as
  given (numpy's floor picks the cell starting there; where the mode's mapping reverses direction
  the cell ending there is taken instead), except where the value jumps there -- 'constant' at the
  last sample, 'wrap' at a multiple of n - 1 that reads a[n - 1] -- where it is the derivative of
  the piece the value came from (the one to the left; 'constant' on an axis of length 1, a piece
  of one point: zero).  Where the mode clamps ('nearest' beyond
  the edges, 'constant' outside, flat pieces of 'reflect') the derivative is zero.  The tangent and
  the adjoint use the same cells, so <J v, u> == <v, J^T u> holds to rounding.
* Refused with an error, never answered wrongly: orders other than 0 and 1, modes outside
  SUPPORTED_MODES, complex or non-floating `input`, complex coordinates, coordinates that are not
  finite or whose magnitude reaches 2**52 (where every double is an integer; not checked against
  scipy there, and scipy converts coordinates to 64-bit integers).
"""
from __future__ import annotations

import itertools

import numpy as np

from .errors import ArgumentError

class NotDifferentiated(ArgumentError, ValueError):
    """An argument this derivative refuses (an S2SGradError: raised by generated code at run time)."""


class NotDifferentiatedType(ArgumentError, TypeError):
    """An argument of a type this derivative refuses."""


SUPPORTED_ORDERS = (0, 1)
SUPPORTED_MODES = ("nearest", "constant", "grid-constant", "reflect", "grid-mirror", "mirror", "wrap",
                   "grid-wrap")

_BIG = 2.0 ** 52


def _checked(input, coordinates, order, mode):
    """(input, coordinates as float64, mode's canonical name) after the refusals the docstring lists."""
    a = np.asarray(input)
    x = np.asarray(coordinates)
    if order not in SUPPORTED_ORDERS:
        raise NotDifferentiated(f"map_coordinates: spline order {order!r} is not differentiated (only 0 and 1)")
    if mode not in SUPPORTED_MODES:
        raise NotDifferentiated(f"map_coordinates: mode {mode!r} is not differentiated (supported: {SUPPORTED_MODES})")
    if a.dtype.kind != "f":
        raise NotDifferentiatedType(f"map_coordinates: input of dtype {a.dtype} is not differentiated (real floating only)")
    if x.dtype.kind not in "fiub":
        raise NotDifferentiatedType(f"map_coordinates: coordinates of dtype {x.dtype} are not supported")
    if a.ndim < 1 or x.ndim < 2 or x.shape[0] != a.ndim:
        raise NotDifferentiated(f"map_coordinates: coordinates of shape {x.shape} for input of shape {a.shape}: "
                         "they need one row per input axis and at least one output axis")
    x = x.astype(np.float64)
    if not np.all(np.abs(x) < _BIG):  # (also false for nan)
        raise NotDifferentiated("map_coordinates: coordinates must be finite and below 2**52 in magnitude")
    return a, x, ("reflect" if mode == "grid-mirror" else mode)


def _trunc(v):
    """C's (npy_intp)v: truncation toward zero."""
    return np.trunc(v).astype(np.int64)


def _map_coordinate(x, n, mode):
    """(cc, sign, dead): the coordinate along an axis of length n as scipy maps it before
    interpolating, d cc / d x, and where 'constant' leaves the input (the whole point is cval).
    The arithmetic is scipy's, step for step, so cc is its double to the last bit."""
    cc, sign = x.copy(), np.ones_like(x)
    dead = np.zeros(x.shape, dtype=bool)
    if mode in ("nearest", "grid-constant"):
        return cc, sign, dead  # scipy maps the corner indices instead
    lo, hi = x < 0, x > n - 1
    if mode == "constant":
        dead = lo | hi
        cc[dead], sign[dead] = 0.0, 0.0
        return cc, sign, dead
    if n <= 1:
        cc[lo | hi], sign[lo | hi] = 0.0, 0.0
        return cc, sign, dead
    v, w = x[lo], x[hi]
    if mode == "mirror":
        p = 2 * n - 2
        v = (p * _trunc(-v / p)) + v
        back = ~(v <= 1 - n)
        v = np.where(back, -v, v + p)
        sign[lo] = np.where(back, -1.0, 1.0)
        w = w - (p * _trunc(w / p))
        back = w >= n
        w = np.where(back, p - w, w)
        sign[hi] = np.where(back, -1.0, 1.0)
    elif mode == "reflect":
        p = 2 * n
        v = np.where(v < -p, (p * _trunc(-v / p)) + v, v)
        back = ~(v < -n)
        # scipy: -v - 1, with v in (-1e-15, 0) taken as -1e-15 so that the result stays above -1
        v = np.where(back, np.where(v > -1e-15, 1e-15, -v) - 1, v + p)
        sign[lo] = np.where(back, -1.0, 1.0)
        w = w - (p * _trunc(w / p))
        back = w >= n
        w = np.where(back, p - w - 1, w)
        sign[hi] = np.where(back, -1.0, 1.0)
    elif mode == "wrap":
        p = n - 1
        v = v + (p * (_trunc(-v / p) + 1))
        w = w - (p * _trunc(w / p))
    else:  # grid-wrap
        v = v + (n * (_trunc((-1 - v) / n) + 1))
        w = w - (n * _trunc(w / n))
    cc[lo], cc[hi] = v, w
    return cc, sign, dead


def _map_index(i, n, mode):
    """(index into the axis, whether it holds a sample): where scipy reads corner index i.  Past
    the edges it maps i by the mode ('constant' and 'wrap' by 'mirror', as scipy does); for
    'grid-constant' an index outside reads cval (the flag is False)."""
    inside = np.ones(i.shape, dtype=bool)
    if mode == "grid-constant":
        inside = (i >= 0) & (i < n)
        return np.clip(i, 0, n - 1), inside
    if mode == "nearest" or n <= 1:
        return np.clip(i, 0, n - 1), inside
    if mode == "reflect":
        m = np.mod(i, 2 * n)
        return np.where(m >= n, 2 * n - 1 - m, m), inside
    if mode == "grid-wrap":
        return np.mod(i, n), inside
    p = 2 * n - 2  # mirror, and the corners of 'constant' and 'wrap'
    m = np.mod(i, p)
    return np.where(m >= n, p - m, m), inside


class _Axes:
    """Per axis of the input: the first corner index of the value's cell (`start`), the corner
    weights (w0, w1; order 0: the one corner, weight 1), d cc / d x (`sign`) and the first corner
    of the cell the derivative is taken over (`dstart`); and where the point is cval ('constant')."""

    def __init__(self, shape, x, order, mode):
        self.shape, self.order, self.mode = shape, order, mode
        self.start, self.w, self.sign, self.dstart = [], [], [], []
        self.dead = np.zeros(x.shape[1:], dtype=bool)
        for k, n in enumerate(shape):
            cc, sign, dead = _map_coordinate(x[k], n, mode)
            self.dead |= dead
            if order == 0:
                self.start.append(np.floor(cc + 0.5).astype(np.int64))
                self.w.append((None,))
                self.sign.append(sign)
                self.dstart.append(None)
                continue
            s = np.floor(cc)
            w0 = 1.0 - (cc - s)
            w1 = 1.0 - w0  # scipy makes the last weight 1 minus the others
            s = s.astype(np.int64)
            # on a knot, the cell to the right in x: the one ending there where the map reverses x
            knot = cc == s
            left = knot & (sign < 0)
            if mode in ("constant", "wrap"):
                left |= knot & (s == n - 1)  # the value is the left piece's end: a jump follows
            self.start.append(s)
            self.w.append((w0, w1))
            self.sign.append(sign)
            self.dstart.append(np.where(left, s - 1, s))

    def corners(self):
        """(indices per axis, sample-holding flag, weight) for each of the (order + 1)^N corners."""
        for bits in itertools.product(range(self.order + 1), repeat=len(self.shape)):
            idx, inside, weight = [], None, None
            for k, b in enumerate(bits):
                i, ok = _map_index(self.start[k] + b, self.shape[k], self.mode)
                idx.append(i)
                inside = ok if inside is None else inside & ok
                wk = self.w[k][b]
                if wk is not None:
                    weight = wk if weight is None else weight * wk
            yield tuple(idx), inside, (1.0 if weight is None else weight)

    def partial(self, a, cval, k):
        """d value / d x[k] (order 1): the difference of the samples across the derivative cell
        along axis k, weighted by the other axes' corner weights."""
        out = 0.0
        for bits in itertools.product((0, 1), repeat=len(self.shape)):
            idx, inside, weight = [], None, 1.0
            for j, b in enumerate(bits):
                base = self.dstart[j] if j == k else self.start[j]
                i, ok = _map_index(base + b, self.shape[j], self.mode)
                idx.append(i)
                inside = ok if inside is None else inside & ok
                if j != k:
                    weight = weight * self.w[j][b]
            sample = np.where(inside, a[tuple(idx)], cval)
            out = out + (weight if bits[k] else -weight) * sample
        return np.where(self.dead, 0.0, self.sign[k] * out)


def map_coordinates_value(input, coordinates, order, mode="constant", cval=0.0):
    """scipy.ndimage.map_coordinates(input, coordinates, order=order, mode=mode, cval=cval),
    computed in numpy as the module docstring describes (in float64, returned in input's dtype)."""
    a, x, mode = _checked(input, coordinates, order, mode)
    axes = _Axes(a.shape, x, order, mode)
    a64, cval = a.astype(np.float64), float(cval)
    out = np.zeros(x.shape[1:])
    for idx, inside, weight in axes.corners():
        out += weight * np.where(inside, a64[idx], cval)
    out[axes.dead] = cval
    return out.astype(a.dtype)


def _float_like(v, like):
    return v.astype(like.dtype if like.dtype.kind == "f" else np.float64, copy=False)


def map_coordinates_adjoint(g, input, coordinates, order, mode="constant", cval=0.0, which=0):
    """The cotangent of `input` (which 0: its shape and dtype) or of `coordinates` (which 1: their
    shape; their dtype if floating, else float64) given g, the cotangent of the output."""
    a, x, mode = _checked(input, coordinates, order, mode)
    c = np.asarray(coordinates)
    g = np.broadcast_to(np.asarray(g, dtype=np.float64), x.shape[1:])
    axes = _Axes(a.shape, x, order, mode)
    if which == 0:
        out = np.zeros(a.shape)
        live = ~axes.dead
        for idx, inside, weight in axes.corners():
            keep = inside & live
            np.add.at(out, tuple(i[keep] for i in idx), (g * weight)[keep])
        return out.astype(a.dtype)
    if which != 1:
        raise ValueError(f"map_coordinates_adjoint: which must be 0 (input) or 1 (coordinates), not {which!r}")
    out = np.zeros(x.shape)
    if order == 1:
        a64 = a.astype(np.float64)
        for k in range(a.ndim):
            out[k] = g * axes.partial(a64, float(cval), k)
    return _float_like(out, c)


def map_coordinates_tangent(input, coordinates, d_input, d_coordinates, order, mode="constant", cval=0.0):
    """The tangent of the output for tangents d_input (input's shape) and d_coordinates
    (coordinates' shape), either None for zero: map_coordinates of d_input with cval 0 (cval is a
    constant) plus, per axis k, d_coordinates[k] times d value / d coordinates[k]."""
    a, x, mode = _checked(input, coordinates, order, mode)
    axes = _Axes(a.shape, x, order, mode)
    out = np.zeros(x.shape[1:])
    dtypes = [a.dtype]
    if d_input is not None:
        da = np.broadcast_to(np.asarray(d_input), a.shape)
        dtypes.append(da.dtype)
        da = da.astype(np.float64)
        for idx, inside, weight in axes.corners():
            out += weight * np.where(inside, da[idx], 0.0)
        out[axes.dead] = 0.0
    if d_coordinates is not None and order == 1:
        dx = np.broadcast_to(np.asarray(d_coordinates), x.shape)
        dtypes.append(dx.dtype)
        a64 = a.astype(np.float64)
        for k in range(a.ndim):
            out += dx[k].astype(np.float64) * axes.partial(a64, float(cval), k)
    return out.astype(np.result_type(*dtypes, np.float32) if all(d.kind == "f" for d in dtypes) else np.float64)


NAMES = {"map_coordinates_adjoint": map_coordinates_adjoint, "map_coordinates_tangent": map_coordinates_tangent}


def scipy_map_coordinates(input, coordinates, output=None, order=3, mode="constant", cval=0.0, prefilter=True):
    """scipy.ndimage.map_coordinates as generated code calls it (rules/ndimage.py): scipy's value."""
    from scipy.ndimage import map_coordinates
    return map_coordinates(input, coordinates, output=output, order=order, mode=mode, cval=cval,
                           prefilter=prefilter)


NAMES["scipy_map_coordinates"] = scipy_map_coordinates
