"""THE rule table, one row per primitive, each row with both directions (see table.py for the
conventions): importing this package fills `RULES` from the row modules, in this order --
elementwise arithmetic and functions, the basic reductions and indexing, the rows without a
derivative, then arrays and constructors, statistics and scans, contractions, linear algebra, shape
and assembly, and more elementwise functions.  `args.py` says how a call's arguments reach a row,
`resolve.py` which row a Python callable maps to, `doc.py` writes the README's list from the table.
"""
from __future__ import annotations

import importlib

from .table import ARITY, RULES, Rule, alias, binary, nondiff, structural, unary

# which module defines each row (the README's supported-function list groups them by it)
ORIGIN: dict = {}
for _module in ("elementwise", "basic", "nondiff", "arrays", "reductions", "contract", "linalg", "lstsq", "shape", "more",
                "signal", "series", "covariance", "ufuncs", "scipy_rows", "scipy_dists", "signal2d", "ndimage", "scipy_linalg", "scipy_special", "windows", "indices", "scatter",
                "fft"):  # (fft last: it gives rows of elementwise/more their complex cases)
    _before = set(RULES)
    importlib.import_module(f".{_module}", __package__)
    ORIGIN.update({op: _module for op in set(RULES) - _before})
# the rows the Triton backend's host code has torch equivalents for (the table before issue 11),
# and the elementwise rows of issue 11 checked to keep numpy's semantics there (more.TORCH_TWINS)
_TORCH_SAFE = {op for op, m in ORIGIN.items() if m in ("elementwise", "basic", "nondiff", "arrays")} | \
    importlib.import_module(".more", __package__).TORCH_TWINS


def _numpy_only():
    """Rows (and the adjoint helpers they call) that only the numpy backend runs: the Triton
    backend's host code calls torch's functions of the same name, whose semantics differ
    (torch.var is unbiased, torch.median takes the lower middle, torch.sort returns indices too),
    so it refuses these rather than change a value silently."""
    from ..runtime_grads import NAMES as grads
    from ..runtime_linalg import NAMES as linalg
    from ..runtime_fft import NAMES as fft
    from ..runtime_scipy import NAMES as scipy
    from ..runtime_signal import NAMES as signal
    from ..runtime_dists import NAMES as dists
    from ..runtime_signal2d import NAMES as signal2d
    from ..runtime_ndimage import NAMES as ndimage
    return frozenset(set(RULES) - _TORCH_SAFE) | set(grads) | set(linalg) | set(signal) | set(scipy) | set(fft) | \
        set(dists) | set(signal2d) | set(ndimage) | {
        "math_erf", "math_erfc", "math_lgamma", "math_gamma", "math_floor", "math_ceil", "math_trunc"}


NUMPY_ONLY = _numpy_only()

from .resolve import ATTRIBUTES, CALLABLES, METHODS, op_for_callable  # noqa: E402  (reads the full table)

__all__ = ["ARITY", "ATTRIBUTES", "CALLABLES", "METHODS", "NUMPY_ONLY", "ORIGIN", "RULES", "Rule", "alias",
           "binary", "nondiff", "op_for_callable", "structural", "unary"]
