"""Helpers the generated code calls for the rows of rules/fft.py (np.fft's transforms and the
complex elementwise functions).  Convention (rules/fft.py's docstring): the cotangent of a complex
value z = x + i y for a real loss L is zbar = dL/dx - i dL/dy, so that dL = Re(sum(zbar * dz)) (JAX's
convention); the cotangent of a real value is real, the real part of what a complex-valued formula
gives.  Guarantees:
- `fft_adjoint(g, a, kind, s, axes, norm)` is the exact adjoint of numpy's transform of `a`
  (kind 'c': fftn, 'ic': ifftn, 'r': rfftn, 'ir': irfftn; the 1-D and 2-D functions are these with
  one or two axes) with the options as the user gave them (s/n and axes/axis as numpy's
  `_cook_nd_args` reads them, norm None, 'backward', 'ortho' or 'forward'), applied to the cotangent
  g of its result: an array of a's shape, real where a is real (in a's precision);
  - fftn/ifftn: the DFT matrix is symmetric, so the adjoint is the same transform (same norm) of g,
    then the zero padding or truncation to s undone (truncated: the first a.shape entries; padded:
    zeros beyond s);
  - rfftn: g zero-extended from s[-1] // 2 + 1 to s[-1] bins along the last axis, fftn of that,
    its real part, then the padding or truncation undone (the interior bins thus count twice through
    the real part of the full transform; no special case for DC or Nyquist is needed);
  - irfftn (x = Re(M Y), M the Hermitian-extension-then-inverse map): ifftn of g (same norm) over
    the axes, kept to s[-1] // 2 + 1 bins along the last axis, the bins 0 < k < s[-1] / 2 doubled
    (DC and, for even s[-1], Nyquist once: numpy ignores their imaginary parts, and the formula gives
    them a real cotangent), then the padding or truncation to a's shape undone;
- `fftfreq_adjoint(g, ans, d)` is d's share of `np.fft.fftfreq(n, d)` / `rfftfreq` (= -sum(g ans) / d).
Registered in the generated code's namespace by runtime.py.
"""
from __future__ import annotations

import numpy as np


def _cook(shape, s, axes, inverse_real):
    """(s, axes) as numpy's transforms read them: axes made non-negative, s the output lengths."""
    nd = len(shape)
    if s is None:
        axes = list(range(nd)) if axes is None else [int(a) for a in axes]
        s = [shape[a] for a in axes]
        if inverse_real:
            s[-1] = (shape[axes[-1]] - 1) * 2
    else:
        s = [int(v) for v in s]
        axes = list(range(-len(s), 0)) if axes is None else [int(a) for a in axes]
        s = [shape[a] if v == -1 else v for v, a in zip(s, axes)]
    if len(s) != len(axes):
        raise ValueError("shape and axes have different lengths")
    return s, [a % nd for a in axes]


def _fit(z, axis, m):
    """z along axis cut to its first m entries, or zero-padded to m."""
    have = z.shape[axis]
    if have == m:
        return z
    if have > m:
        return np.take(z, np.arange(m), axis=axis)
    pad = [(0, 0)] * z.ndim
    pad[axis] = (0, m - have)
    return np.pad(z, pad)


def _real_like(z, a):
    """z where a is complex; its real part (a fresh array) where a is real."""
    if np.iscomplexobj(a):
        return z
    return np.array(z.real)


def fft_adjoint(g, a, kind, s, axes, norm):
    """The adjoint of numpy's fftn/ifftn/rfftn/irfftn (kind 'c', 'ic', 'r', 'ir') of `a` applied to g."""
    a_shape = np.shape(a)
    g = np.asarray(g)
    s, axes = _cook(a_shape, s, axes, kind == "ir")
    if kind in ("c", "ic"):
        out = (np.fft.fftn if kind == "c" else np.fft.ifftn)(g, axes=axes, norm=norm)
    elif kind == "r":
        full = _fit(g, axes[-1], s[-1])  # the missing (conjugate) half of the bins: zeros
        out = np.fft.fftn(full, axes=axes, norm=norm).real
    else:
        n = s[-1]
        half = n // 2 + 1
        out = _fit(np.fft.ifftn(g, axes=axes, norm=norm), axes[-1], half)
        twice = np.full(half, 2.0)
        twice[0] = 1.0
        if n % 2 == 0:
            twice[-1] = 1.0
        shape = [1] * out.ndim
        shape[axes[-1]] = half
        out = out * twice.reshape(shape).astype(out.real.dtype)
    for ax in axes:  # undo the padding or truncation to s
        out = _fit(out, ax, a_shape[ax])
    return _real_like(out, a)


def fftfreq_adjoint(g, ans, d):
    """d's share of fftfreq(n, d) (or rfftfreq): each frequency is k / (n d), so -ans / d."""
    return -np.sum(np.asarray(g) * ans) / d


NAMES = {f.__name__: f for f in (fft_adjoint, fftfreq_adjoint)}
