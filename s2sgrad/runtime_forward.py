"""Run-time helpers the generated forward-mode (tangent) code calls, registered in the generated
code's namespace.  Zero tangents are floating even for integer values (an integer has no
derivative, but the tangent of a result that mixes it with floats is a float)."""
from __future__ import annotations

import numpy as np

from .runtime import NAMESPACE


def tangent_dtype(x):
    """The dtype of x's tangent: x's own when floating (or complex), else float64."""
    dt = np.asarray(x).dtype  # (np.result_type would read a list such as [0.3, 1.0] as a dtype spec)
    return dt if dt.kind in "fc" else np.dtype(np.float64)


def zero_tangent(x):
    """A zero tangent for x: 0.0 for a Python number, else zeros of x's shape."""
    if isinstance(x, (int, float, bool)):
        return 0.0
    return np.zeros(np.shape(x), tangent_dtype(x))


NAMES = {"tangent_dtype": tangent_dtype, "zero_tangent": zero_tangent}
NAMESPACE.update(NAMES)
