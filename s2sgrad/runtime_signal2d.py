"""scipy.signal.convolve2d and correlate2d as the generated code calls them, and their adjoints and
tangents (rules/signal2d.py says what the rows guarantee).

The adjoints rest on one exact rewriting, checked against scipy for every mode and boundary over
inputs and kernels of 1 to 5 rows and columns (tests/test_signal2d.py): with K the kernel (flipped
for a correlation) of shape (kh, kw), x of shape (m, n), and Xp = np.pad(x, ((kh - 1, kh - 1),
(kw - 1, kw - 1))) in the boundary's np.pad mode ('fill': constant fillvalue, 'wrap', 'symm':
'symmetric'), the 'full' result is convolve2d(Xp, K, 'valid'); 'same' is its window at
((kh - 1) // 2, (kw - 1) // 2) (at (kh // 2, kw // 2) for a correlation), of x's shape; 'valid'
(where the boundary plays no part: fill 0) its window at (kh - 1, kw - 1) of shape x - K + 1, or,
where the kernel is the larger in both axes, as scipy swaps them, at (m - 1, n - 1) of shape
K - x + 1."""
from __future__ import annotations

import numpy as np

_PAD = {"fill": "constant", "wrap": "wrap", "symm": "symmetric"}


def scipy_convolve2d(in1, in2, mode="full", boundary="fill", fillvalue=0):
    from scipy.signal import convolve2d
    return convolve2d(in1, in2, mode, boundary, fillvalue)


def scipy_correlate2d(in1, in2, mode="full", boundary="fill", fillvalue=0):
    from scipy.signal import correlate2d
    return correlate2d(in1, in2, mode, boundary, fillvalue)


def _setup(x, k, op, mode, boundary, fillvalue):
    """(Xp, K, the window of the full result the mode gives, padding widths, np.pad mode)."""
    x, k = np.asarray(x), np.asarray(k)
    if x.ndim != 2 or k.ndim != 2:
        raise ValueError("convolve2d/correlate2d take 2-D arrays")
    kk = k if op == "convolve" else k[::-1, ::-1]
    (m, n), (kh, kw) = x.shape, kk.shape
    if mode == "valid":
        boundary, fillvalue = "fill", 0
    widths = ((kh - 1, kh - 1), (kw - 1, kw - 1))
    pad = _PAD[boundary]
    xp = np.pad(x, widths, mode=pad, **({"constant_values": fillvalue} if pad == "constant" else {}))
    if mode == "full":
        window = (slice(0, m + kh - 1), slice(0, n + kw - 1))
    elif mode == "same":
        r0, c0 = (kh // 2, kw // 2) if op == "correlate" else ((kh - 1) // 2, (kw - 1) // 2)
        window = (slice(r0, r0 + m), slice(c0, c0 + n))
    elif m >= kh and n >= kw:
        window = (slice(kh - 1, m), slice(kw - 1, n))
    else:
        window = (slice(m - 1, kh), slice(n - 1, kw))
    return x, kk, xp, window, widths, pad


def conv2d_adjoint(g, x, k, op, mode, boundary, fillvalue, which):
    """The contribution of op(x, k, mode, boundary, fillvalue) to x (which 0) or k (which 1)."""
    from scipy.signal import correlate2d
    from .runtime_grads import pad_grad
    x, kk, xp, window, widths, pad = _setup(x, k, op, mode, boundary, fillvalue)
    (m, n), (kh, kw) = x.shape, kk.shape
    full = np.zeros((m + kh - 1, n + kw - 1), dtype=np.result_type(g, x, kk))
    full[window] = g
    if which == 0:
        return pad_grad(correlate2d(full, kk, "full"), x, widths, pad)
    dkk = correlate2d(xp, full, "valid")[::-1, ::-1]
    out = dkk if op == "convolve" else dkk[::-1, ::-1]
    return out.astype(np.result_type(k, np.float32) if np.asarray(k).dtype.kind == "f" else out.dtype, copy=False)


def conv2d_tangent(x, k, dx, dk, op, mode, boundary, fillvalue):
    """d op(x, k, ...): op(dx, k) with the fill value 0 (it is a constant), plus op(x, dk)."""
    f = scipy_convolve2d if op == "convolve" else scipy_correlate2d
    out = None
    if dx is not None:
        out = f(dx, k, mode, boundary, 0)
    if dk is not None:
        t = f(x, dk, mode, boundary, fillvalue)
        out = t if out is None else out + t
    return out


NAMES = {f.__name__: f for f in (scipy_convolve2d, scipy_correlate2d, conv2d_adjoint, conv2d_tangent)}
