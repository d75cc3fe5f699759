"""Which rule row a Python callable maps to: numpy functions, their aliases, math functions, builtins,
array methods and attributes."""
from __future__ import annotations

import builtins
import math
import operator
from typing import Optional

import numpy as np

from ..runtime_dists import KINDS
from .scipy_rows import NORM
from .scipy_special import SPECIAL
from .nondiff import GENERATOR_METHODS, STR_METHODS
from .table import RULES

# ------------------------------------------------------- resolving callables to rule rows
# numpy functions, math functions and builtins that map onto a row above (object -> op)
_NUMPY_ALIASES = {
    "add": "add", "subtract": "sub", "multiply": "mul", "divide": "truediv", "true_divide": "truediv",
    "negative": "neg", "absolute": "np.abs", "fabs": "np.abs", "amax": "np.max", "amin": "np.min",
}
_MATH = {"exp": "np.exp", "log": "np.log", "sqrt": "np.sqrt", "sin": "np.sin", "cos": "np.cos",
         "tan": "np.tan", "tanh": "np.tanh", "fabs": "np.abs", "log1p": "np.log1p", "expm1": "np.expm1",
         "sinh": "np.sinh", "cosh": "np.cosh", "atan": "np.arctan", "asin": "np.arcsin",
         "acos": "np.arccos", "floor": "math_floor", "ceil": "math_ceil", "log2": "np.log2",
         "log10": "np.log10", "atan2": "np.arctan2", "erf": "math_erf", "erfc": "math_erfc",
         "lgamma": "math_lgamma", "gamma": "math_gamma", "hypot": "np.hypot", "pow": "np.power",
         "asinh": "np.arcsinh", "acosh": "np.arccosh", "atanh": "np.arctanh", "degrees": "np.degrees",
         "radians": "np.radians", "copysign": "np.copysign", "fmod": "np.fmod", "cbrt": "np.cbrt",
         "isnan": "np.isnan", "isinf": "np.isinf", "isfinite": "np.isfinite", "ldexp": "np.ldexp",
         "exp2": "np.exp2", "trunc": "math_trunc"}  # (floor, ceil, trunc: ints, as math gives)
_BUILTINS = {"abs": "abs", "max": "max", "min": "min", "float": "float", "len": "len", "int": "int",
             "bool": "bool", "range": "range", "tuple": "tuple", "round": "round", "str": "str", "repr": "repr",
             "format": "format", "ascii": "ascii", "pow": "pow", "any": "any", "all": "all"}
# the operator module's functions of an infix or prefix operator: the operator's row (reduce(operator.mul, ...))
_OPERATOR = ("add", "sub", "mul", "truediv", "floordiv", "mod", "matmul", "pow", "lt", "le", "gt", "ge", "eq",
             "ne", "and_", "or_", "neg", "pos", "invert", "not_", "abs")
# scipy.special's functions with a row (scipy is optional), and scipy.stats.norm's methods
_SCIPY_SPECIAL = {"logsumexp": "logsumexp", "expit": "scipy_expit", "log_expit": "scipy_log_expit",
                  "logit": "scipy_logit", "psi": "scipy_digamma",
                  **{name: f"scipy_{name}" for name in SPECIAL}}


def _resolve(path):
    obj = np
    for part in path.split(".")[1:]:
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


def _build_callable_table():
    table = {}
    for op in RULES:
        if op.startswith("np."):
            obj = _resolve(op)
            if obj is not None:
                table.setdefault(id(obj), (obj, op))
    for name, op in _NUMPY_ALIASES.items():
        obj = getattr(np, name, None)
        if obj is not None:
            table[id(obj)] = (obj, op)
    for name, op in _MATH.items():
        if hasattr(math, name):  # cbrt and exp2 are new in Python 3.11
            table[id(getattr(math, name))] = (getattr(math, name), op)
    for name, op in _BUILTINS.items():
        table[id(getattr(builtins, name))] = (getattr(builtins, name), op)
    for name in _OPERATOR:
        table[id(getattr(operator, name))] = (getattr(operator, name), name)
    # np.linalg.multi_dot([A, B, C]): the chain of @ (rules/args.py), no row of its own
    table[id(np.linalg.multi_dot)] = (np.linalg.multi_dot, "np.linalg.multi_dot")
    import copy  # (copy.copy / copy.deepcopy: a new value with the same numbers, passes/containers.py)
    table[id(copy.copy)] = (copy.copy, "copy.copy")
    table[id(copy.deepcopy)] = (copy.deepcopy, "copy.deepcopy")
    try:  # scipy's functions with a row of their own (scipy is optional)
        import scipy.special
        for name, op in _SCIPY_SPECIAL.items():
            obj = getattr(scipy.special, name, None)  # (log_expit is new in scipy 1.8)
            if obj is not None:
                table[id(obj)] = (obj, op)
        # np.i0 is scipy.special.i0 on real arrays; its derivative, i1, is scipy's only
        table[id(np.i0)] = (np.i0, "scipy_i0")
        import scipy.signal  # (rules/signal2d.py)
        for name in ("convolve2d", "correlate2d"):
            table[id(getattr(scipy.signal, name))] = (getattr(scipy.signal, name), f"scipy_{name}")
        import scipy.ndimage  # (rules/ndimage.py)
        table[id(scipy.ndimage.map_coordinates)] = (scipy.ndimage.map_coordinates, "scipy_map_coordinates")
        import scipy.linalg  # (rules/scipy_linalg.py)
        table[id(scipy.linalg.solve_triangular)] = (scipy.linalg.solve_triangular, "scipy_solve_triangular")
        table[id(scipy.linalg.expm)] = (scipy.linalg.expm, "scipy_expm")
        for name in ("cho_factor", "cho_solve"):  # (rules/args.py writes them as their rows: the pair)
            table[id(getattr(scipy.linalg, name))] = (getattr(scipy.linalg, name), f"scipy.linalg.{name}")
    except ImportError:
        pass
    # s2sgrad's own run-time helpers, as generated code calls them (differentiating generated code
    # again -- second order -- meets them): the ones with a row of the same name
    from .. import (runtime_dists, runtime_forward, runtime_grads, runtime_ndimage, runtime_scipy, runtime_signal,
                    runtime_signal2d)
    helpers = {**runtime_forward.NAMES, **runtime_signal.NAMES, **runtime_scipy.NAMES, **runtime_dists.VALUES,
               "scipy_map_coordinates": runtime_ndimage.scipy_map_coordinates,
               "scipy_solve_triangular": runtime_scipy.scipy_solve_triangular,
               "scipy_cho_factor": runtime_scipy.scipy_cho_factor, "scipy_cho_solve": runtime_scipy.scipy_cho_solve,
               "scipy_expm": runtime_scipy.scipy_expm, "expm_frechet": runtime_scipy.expm_frechet,
               "scipy_convolve2d": runtime_signal2d.scipy_convolve2d,
               "scipy_correlate2d": runtime_signal2d.scipy_correlate2d,
               "logsumexp": runtime_grads.logsumexp}
    for name, obj in helpers.items():
        if name in RULES:  # (meshgrid_part: np.meshgrid's results)
            table[id(obj)] = (obj, name)
    return table


CALLABLES = _build_callable_table()
# array methods: x.sum() -> ".sum" (printed as a method, same row as np.sum)
# (a string's and a random Generator's methods are not an array's: `obj.split(x)` of a user's class
# stays its method; passes/objects.py lowers them on a string or a Generator)
METHODS = {name[1:]: name for name in RULES if name.startswith(".") and name[1:] not in STR_METHODS + GENERATOR_METHODS}
ATTRIBUTES = {"T": "@T", "shape": "@shape", "ndim": "@ndim", "size": "@size", "dtype": "@dtype",
              "real": "@real", "imag": "@imag"}  # (x.real, x.imag: rules/fft.py)


def op_for_callable(obj) -> Optional[str]:
    hit = CALLABLES.get(id(obj))
    if hit is not None and hit[0] is obj:
        return hit[1]
    return _ufunc_method(obj) or _norm_method(obj)


def _ufunc_method(obj) -> Optional[str]:
    """A method of one of numpy's ufuncs (`np.maximum.reduce`, `np.multiply.outer`): its row, by the
    ufunc's name in numpy (a new bound method object at each attribute read, so not in CALLABLES)."""
    owner = getattr(obj, "__self__", None)
    if not isinstance(owner, np.ufunc) or getattr(np, owner.__name__, None) is not owner:
        return None
    op = f"np.{owner.__name__}.{getattr(obj, '__name__', '')}"
    return op if op in RULES else None


def _norm_method(obj) -> Optional[str]:
    """`norm.logpdf` (pdf, cdf, logcdf) of scipy.stats.norm itself: its row (a new bound method at
    each attribute read; a frozen `norm(loc, scale)` or another distribution has no row)."""
    owner = getattr(obj, "__self__", None)
    if owner is None or not type(owner).__module__.startswith("scipy.stats"):
        return None
    import scipy.stats  # (imported already: owner is one of its objects)
    name = getattr(obj, "__name__", "")
    for dist, kinds in KINDS.items():  # gamma.pdf, beta.logpdf, ... (rules/scipy_dists.py)
        if owner is getattr(scipy.stats, dist) and name in kinds:
            return f"scipy_{dist}_{name}"
    if owner is not scipy.stats.norm or name not in NORM + ("ppf",):
        return None
    return f"scipy_norm_{name}"
