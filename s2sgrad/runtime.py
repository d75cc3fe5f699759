"""Names the generated code can use besides numpy: kept tiny, and used only where static shape
information is missing (the generated code then checks shapes at run time)."""
from __future__ import annotations

import math
import warnings

import numpy as np

from .markers import UNBOUND, stop_gradient
from .errors import ArgumentError


def unbroadcast(g, x):
    """g with exactly the shape of x: summed down where g was broadcast against x in the forward
    pass, spread out where g is a lazy cotangent (a scalar standing for a full array).  Used where
    the compiler could not know the shapes, so its result must be what the static path would give:
    the exact shape, never something that merely broadcasts to it."""
    shape = np.shape(x)
    gshape = np.shape(g)
    if shape == () and not isinstance(x, np.ndarray):
        # a Python or numpy scalar's adjoint is a scalar: immutable, so `grad_s += ...` rebinds it
        # (a 0-d array -- perhaps a read-only broadcast view -- would be updated in place)
        return np.sum(g) if isinstance(g, np.ndarray) else g
    if gshape == shape:
        return g
    lead = len(gshape) - len(shape)
    if lead > 0:
        g = np.sum(g, axis=tuple(range(lead)))
    axes = tuple(i for i, (a, b) in enumerate(zip(np.shape(g), shape)) if b == 1 and a != 1)
    if axes:
        g = np.sum(g, axis=axes, keepdims=True)
    if np.shape(g) != shape:
        g = np.array(np.broadcast_to(g, shape))  # a fresh array: later code may update it in place
    return g


def float_only(g, ans):
    """g where ans is floating; 0.0 where a cast made it integer or boolean (piecewise constant)."""
    return g if np.asarray(ans).dtype.kind in "fc" else 0.0


def matmul_grad_x(g, x, y):
    """d(x @ y)/dx applied to g, for operands whose ranks were unknown when compiling."""
    x, y, g = np.asarray(x), np.asarray(y), np.asarray(g)
    if x.ndim == 1 and y.ndim == 1:
        return g * y
    if y.ndim == 1:  # x (..., n, k) @ y (k,) -> (..., n)
        return unbroadcast(np.multiply.outer(g, y), x)
    if x.ndim == 1:  # x (k,) @ y (..., k, m) -> (..., m)
        return unbroadcast(np.sum(y * np.expand_dims(g, -2), axis=-1), x)
    return unbroadcast(g @ np.swapaxes(y, -1, -2), x)


def matmul_grad_y(g, x, y):
    x, y, g = np.asarray(x), np.asarray(y), np.asarray(g)
    if x.ndim == 1 and y.ndim == 1:
        return g * x
    if x.ndim == 1:
        return unbroadcast(np.expand_dims(x, -1) * np.expand_dims(g, -2), y)
    if y.ndim == 1:
        return np.tensordot(g, x, g.ndim)
    return unbroadcast(np.swapaxes(x, -1, -2) @ g, y)


def concat_part(g, axis, i, *parts):
    """The piece of g (the cotangent of np.concatenate(parts, axis)) that belongs to parts[i],
    for inputs whose shapes were unknown when compiling."""
    if axis is None:
        sizes = [np.size(p) for p in parts]
        start = sum(sizes[:i])
        return np.reshape(np.ravel(g)[start:start + sizes[i]], np.shape(parts[i]))
    sizes = [np.shape(p)[axis] for p in parts]
    start = sum(sizes[:i])
    return np.take(g, np.arange(start, start + sizes[i]), axis=axis)


def _dot_is_matmul(x, y):
    return x.ndim == 1 or y.ndim == 1 or (x.ndim <= 2 and y.ndim <= 2)


def dot_grad_x(g, x, y):
    """d(np.dot(x, y))/dx applied to g (np.dot multiplies by a scalar, and contracts the last axis
    of x with the second-to-last of y)."""
    x, y, g = np.asarray(x), np.asarray(y), np.asarray(g)
    if x.ndim == 0 or y.ndim == 0:
        return unbroadcast(g * y, x)
    if _dot_is_matmul(x, y):
        return matmul_grad_x(g, x, y)
    nx, ny = x.ndim, y.ndim
    return np.tensordot(g, y, (tuple(range(nx - 1, nx + ny - 2)), tuple(range(ny - 2)) + (ny - 1,)))


def dot_grad_y(g, x, y):
    x, y, g = np.asarray(x), np.asarray(y), np.asarray(g)
    if x.ndim == 0 or y.ndim == 0:
        return unbroadcast(g * x, y)
    if _dot_is_matmul(x, y):
        return matmul_grad_y(g, x, y)
    lead = tuple(range(x.ndim - 1))
    return np.moveaxis(np.tensordot(x, g, (lead, lead)), 0, -2)


def table_index(key, n):
    """The position TABLE[key] reads in a tuple or list of n functions, or Python's error for it
    (an index that is not an int, or out of range): frontend/dispatch.py."""
    import operator
    i = operator.index(key)
    if not -n <= i < n:
        raise IndexError(f"{type(key).__name__} index {key!r} out of range for a table of {n} functions")
    return i % n


def sort_order(keys, reverse=False):
    """The positions of `sorted(seq, key=f, reverse=reverse)`'s items in seq, given the keys f gave
    (passes/sort_by_key.py): Python's own sort over the same key values -- the same comparisons in
    the same order, so ties keep their order and a NaN key lands where Python puts it."""
    return sorted(range(len(keys)), key=keys.__getitem__, reverse=reverse)  # (reverse as given: Python's checks)


def table_key(key, keys):
    """The key TABLE[key] looks up in a dict of functions with these keys, or Python's error for it:
    TypeError for an unhashable key, KeyError for one the dict does not hold."""
    hash(key)
    if key not in keys:
        raise KeyError(key)
    return key


def succeeds(fn, *args, catching=(Exception,), **kwargs):
    """Whether fn(*args, **kwargs) returns without raising one of `catching` (frontend/trystmt.py: the
    branch a try around one call takes)."""
    try:
        fn(*args, **kwargs)
    except catching:
        return False
    return True


def ix_part(i, n, *seqs):
    """np.ix_(*seqs)[i]: the open mesh's index array for axis i of n (frontend K[np.ix_(rows, cols)])."""
    return np.ix_(*seqs)[i]


def aligned_mask(m, c, zero_first):
    """np.where's mask m where it lines up with the contribution c (the same shape); else the mask
    that keeps all of c in `np.where(m, 0.0, c)` (zero_first: False) or `np.where(m, c, 0.0)` (True).
    The adjoint keeps np.where's exact zero only where it can tell which element is which."""
    if np.shape(m) == np.shape(c):
        return m
    return np.bool_(not zero_first)


def check_distinct(shape, axes, parts, where):
    """Raise where the integer-array parts of a write's index (on these axes of an array of this
    shape) name a position twice: numpy keeps one of the writes, whose cotangent the reverse sweep
    cannot tell apart (ad/accumulate.py)."""
    if len(parts) == 1 and isinstance(parts[0], tuple):  # y[p] of p = (1, 1): one part per axis
        axes, parts = tuple(axes[0] + j for j in range(len(parts[0]))), parts[0]
    if all(isinstance(p, (int, np.integer)) for p in parts):
        return  # (one position: a part the compiler could not tell an int, read from a list of tuples)
    sizes, kept = [], []
    for a, p in zip(axes, parts):
        if isinstance(p, slice):
            continue  # a slice names each of its positions once, whatever the others name
        p = np.asarray(p)
        if p.dtype == np.bool_ and p.ndim == 1:
            p = np.flatnonzero(p)  # a mask on one axis: its positions
        if p.dtype.kind not in "iu":
            raise ArgumentError(f"{where}: this write's index holds {p.dtype} values where s2sgrad expected "
                                "integers (a multi-dimensional mask, None or ...): write it with its own parts")
        sizes.append(shape[a])
        kept.append(p)
    if not kept:
        return
    idx = np.broadcast_arrays(*[p % n for p, n in zip(kept, sizes)])
    flat = np.ravel_multi_index([i.ravel() for i in idx], sizes)
    if np.unique(flat).size != flat.size:
        raise ArgumentError(f"{where}: this write's integer-array index names a position twice: numpy keeps "
                            "only one of the writes there, which s2sgrad cannot differentiate; write each "
                            "position once (or build the array with np.where / np.add.at)")


_WARNED: dict = {}  # (file, module) -> the registry of warnings shown from there (once per line)


def warn_at(message, filename, lineno, module):
    """warnings.warn(message) as the user's line `filename:lineno` of `module` warns it (the generated
    code's own location would escape the user's filters): a Warning instance is its own category,
    else UserWarning."""
    category = type(message) if isinstance(message, Warning) else UserWarning
    registry = _WARNED.setdefault((filename, module), {})
    warnings.warn_explicit(message, category, filename, lineno, module, registry)


_GLOBALS = {}  # key -> a function's globals dict, for the names it declares global (global_key)


def global_key(namespace, module):
    """A key the generated code names a function's globals dict by: its module's name (with the
    dict's id where another dict has that name: a module executed twice, or not imported)."""
    key = module if _GLOBALS.get(module, namespace) is namespace else f"{module}@{id(namespace)}"
    _GLOBALS[key] = namespace
    return key


def global_read(key, name):
    """The module-level value of a name the function declares `global` and assigns, as it is now
    (None where the module has none yet: `global BEST; BEST = loss` makes it)."""
    return _GLOBALS[key].get(name)


# while a Jacobian's or Hessian's columns run (higher._journal, one open at a time): (key, name) ->
# the value before the first write
_JOURNALS = []
_MISSING = object()


def global_write(key, name, value):
    """`global X; X = value`: the module's X written, as the user's function writes it (an array
    as a copy: the reverse sweep may give the function's own array its earlier elements back in
    place, which the module must not see)."""
    for journal in _JOURNALS:
        journal.setdefault((key, name), _GLOBALS[key].get(name, _MISSING))
    _GLOBALS[key][name] = value.copy() if isinstance(value, np.ndarray) else value


def put_back(journal):
    """Every module-level name written since the journal began as it was before (higher._same_draws:
    each column of a Jacobian or Hessian runs the function from the state one call of it starts at)."""
    for (key, name), value in journal.items():
        if value is _MISSING:
            _GLOBALS[key].pop(name, None)
        else:
            _GLOBALS[key][name] = value


def check_rows(seq):
    """Before `for row in A: row /= ...` written as the write into A (frontend/row_updates.py): A has
    rows to update in place -- of a 1-D array or a list of numbers each item is a number, which
    the update only rebinds."""
    if np.ndim(seq) < 2 or not isinstance(seq, np.ndarray) and not all(isinstance(r, np.ndarray) for r in seq):
        from .errors import ArgumentError
        raise ArgumentError("the loop's items are numbers here (a 1-D array, or a list of numbers), so the "
                            "in-place update only rebinds the loop's name and changes nothing Python keeps; "
                            "s2sgrad updates rows in place only: write `v = v * ...` for a new value")


def check_number_item(v):
    """Before `L[i] = v` of `L = [c] * n` or `L = list(x)` kept as an array's copy
    (passes/list_arrays.py): v is a number, as an array's element is (the list would hold an array
    there)."""
    if np.ndim(v) != 0:
        from .errors import ArgumentError
        raise ArgumentError(f"an element of shape {np.shape(v)} written into a list made as [c] * n or list() of "
                            "numbers, which s2sgrad keeps as an array of numbers: make the list of arrays with a "
                            "comprehension "
                            "([np.zeros(...) for _ in range(n)]) or an array of the right shape (np.zeros((n, ...)))")


def array_left_message(symbol, shape, cls_name):
    """The refusal of `a OP b`, a an array of 1 or more dimensions and b an object with the reflected
    method (when compiling, passes/object_operators.py, or when it runs, check_scalar_operand)."""
    return (f"'{symbol}' of an array of shape {shape} and a {cls_name} object: numpy applies the object's method "
            "to each element (an array of objects), which s2sgrad does not follow; loop over the elements, or "
            "give the class a method taking the array")


def _square_as_written(n, form, by):
    return {"pow": lambda: n ** 2, "np.power": lambda: np.power(n, 2), "np.square": lambda: np.square(n),
            "mul": lambda: n * by}[form]()


def smooth_square(n, x, axis=None, keepdims=False, form="pow", by=None):
    """n's square as the user wrote it (`n ** 2`, `np.square(n)`, `np.power(n, 2)`, `n * m`: the
    generated code prints it so) of n = np.linalg.norm(x, axis=..., keepdims=...), which rules/basic.py
    differentiates as the sum of squares it is (x an array: passes/smooth_squares.py)."""
    if isinstance(x, (list, tuple)):
        raise TypeError("smooth_square reads an array")
    return _square_as_written(n, form, by)


def smooth_abs_square(n, x, form="pow", by=None):
    """n's square as written (see smooth_square) of n = np.abs(x): differentiated as x * x."""
    if isinstance(x, (list, tuple)):
        raise TypeError("smooth_abs_square reads an array or a number")
    return _square_as_written(n, form, by)


def check_scalar_operand(v, symbol, cls_name):
    """Before `b.__rop__(a)` for `a OP b` with b an object (passes/object_operators.py): a is a number or
    a 0-d array, whose operator gives way to b's method; numpy would apply the method to each element
    of an array of more dimensions (an array of objects)."""
    if np.ndim(v) != 0:
        from .errors import ArgumentError
        raise ArgumentError(array_left_message(symbol, np.shape(v), cls_name))


def global_put(key, name, value):
    """The module's name set to this very object (a vjp's pullback gives back what it found)."""
    _GLOBALS[key][name] = value


NAMESPACE = {
    "check_rows": check_rows,
    "smooth_square": smooth_square,
    "smooth_abs_square": smooth_abs_square,
    "check_number_item": check_number_item,
    "check_scalar_operand": check_scalar_operand,
    "math": math,  # (math.fsum: frontend/calls.py)
    "warn_at": warn_at,
    "global_read": global_read,
    "global_write": global_write,
    "check_distinct": check_distinct,
    "aligned_mask": aligned_mask,
    "ix_part": ix_part,
    "succeeds": succeeds,
    "table_index": table_index,
    "sort_order": sort_order,
    "table_key": table_key,
    "np": np,
    "ArgumentError": ArgumentError,  # (an unrolled zip given a shorter sequence: passes/flatten_stmts.py)
    "stop_gradient": stop_gradient,
    "UNBOUND": UNBOUND,  # (a name that may be unbound where it is read starts as it: passes/unbound.py)
    "unbroadcast": unbroadcast,
    "matmul_grad_x": matmul_grad_x,
    "matmul_grad_y": matmul_grad_y,
    "float_only": float_only,
    "concat_part": concat_part,
    "dot_grad_x": dot_grad_x,
    "dot_grad_y": dot_grad_y,
}

# adjoint helpers of the statistics, norm and split rows (runtime_grads.py)
# (imported by name: generated files import them from s2sgrad.runtime)
from .runtime_grads import NAMES as _GRAD_HELPERS  # noqa: E402
from .runtime_grads import (average_grad, copy_grad, gradient_grad, cumprod_grad, diag_grad, diagonal_grad, einsum_grad, kron_grad, norm_grad,  # noqa: E402,F401
                            pad_grad, permutation_grad, prod_grad, quantile_grad, sort_grad, split_bounds,
                            take_along_axis_grad, take_grad, tensordot_grad, trace_grad)
def draw_count(n, what):
    """`rng.choice(n)` / `rng.permutation(n)`'s n, which must be a count: of an array they gather its
    elements (a derivative s2sgrad does not take through a draw: passes/rng_draws.py)."""
    import operator
    from .errors import ArgumentError
    try:
        return operator.index(n)
    except TypeError:
        raise ArgumentError(f"rng.{what} of an array: s2sgrad draws positions only (idx = rng.{what}(len(x)), "
                            "then x[idx], which it differentiates)") from None


def _negative(v):
    """numpy's test of a parameter that must not be negative: the sign bit, NaN aside (-0.0 fails)."""
    v = np.asarray(v)
    return bool(np.any(np.signbit(v) & ~np.isnan(v)))


def draw_scale(scale):
    """A normal's or exponential's scale, checked as numpy checks it (its draw is rewritten through
    the standard draw: passes/rng_draws.py, rules/args.py)."""
    if _negative(scale):
        raise ValueError("scale < 0")
    return scale


def draw_span(high, low):
    """high - low of np.random.uniform (numpy's global generator), checked as numpy checks it: any
    sign, but finite (the arguments in the order of the `sub` row whose derivative it has)."""
    diff = np.subtract(high, low)
    if not np.all(np.isfinite(diff)):
        raise OverflowError("Range exceeds valid bounds")
    return diff


def draw_size(size, *params):
    """A draw's size, which the parameters' broadcast shape must fit exactly (numpy raises
    otherwise; the standard draw times the parameters would broadcast instead)."""
    if size is None:
        return np.broadcast_shapes(*(np.shape(p) for p in params))
    shape = (int(size),) if np.ndim(size) == 0 else tuple(int(n) for n in size)
    if np.broadcast_shapes(shape, *(np.shape(p) for p in params)) != shape:
        raise ValueError(f"Output size {shape} is not compatible with broadcast dimensions of inputs "
                         f"{np.broadcast_shapes(*(np.shape(p) for p in params))}.")
    return shape


def draw_range(high, low):
    """high - low of a Generator's uniform draw, checked as numpy checks it (the arguments in the
    order of the `sub` row whose derivative it has)."""
    diff = np.subtract(high, low)
    if _negative(diff):
        raise ValueError("high - low < 0")
    if not np.all(np.isfinite(diff)):
        raise OverflowError("high - low range exceeds valid bounds")
    return diff


def draw_seed(seed):
    """A Generator's seed, which must be numbers: None (fresh entropy) or a Generator (the caller's
    state) would give other draws in each run of the generated code (passes/rng_draws.py)."""
    from .errors import ArgumentError
    if seed is None or isinstance(seed, (np.random.Generator, np.random.BitGenerator, np.random.SeedSequence,
                                          np.random.RandomState)):
        raise ArgumentError("np.random.default_rng / np.random.seed given None or a generator: each run of the "
                            "generated code (the value's, the gradient's) would draw other numbers; give it a seed "
                            "(an int)")
    return seed


NAMESPACE.update(draw_count=draw_count, draw_scale=draw_scale, draw_range=draw_range, draw_seed=draw_seed,
                 draw_span=draw_span, draw_size=draw_size)
NAMESPACE["copy"] = __import__("copy")  # (copy.deepcopy(x) in generated code, as the user wrote it)
NAMESPACE.update(_GRAD_HELPERS)
from .runtime_linalg import NAMES as _LINALG_HELPERS  # noqa: E402
from .runtime_linalg import (solve_grad, cholesky_grad, decompose, linalg_part, linalg_part_grad, matrix_power_grad,  # noqa: E402,F401
                             pinv_grad, qr_grad, svd_grad)
NAMESPACE.update(_LINALG_HELPERS)
from .runtime_signal import NAMES as _SIGNAL_HELPERS  # noqa: E402
from .runtime_signal import (convolve_adjoint, corrcoef_adjoint, corrcoef_tangent, cov_adjoint, cov_tangent,  # noqa: E402,F401
                             interp_adjoint, interp_tangent, meshgrid_part, trapezoid_adjoint)
NAMESPACE.update(_SIGNAL_HELPERS)
from .runtime_scipy import NAMES as _SCIPY_HELPERS  # noqa: E402
from .runtime_scipy import (cross_adjoint, scipy_expit, scipy_log_expit, scipy_logit, scipy_norm_cdf,  # noqa: E402,F401
                            scipy_norm_logcdf, scipy_norm_logpdf, scipy_norm_pdf, sliding_window_adjoint)
NAMESPACE.update(_SCIPY_HELPERS)
# (generated files import the helpers they call from this module: s2sgrad export, generated/)
globals().update({k: v for k, v in _SCIPY_HELPERS.items() if k not in globals()})
from .runtime_signal2d import NAMES as _SIGNAL2D_HELPERS  # noqa: E402
NAMESPACE.update(_SIGNAL2D_HELPERS)
globals().update({k: v for k, v in _SIGNAL2D_HELPERS.items() if k not in globals()})
from .runtime_ndimage import NAMES as _NDIMAGE_HELPERS  # noqa: E402  (scipy.ndimage.map_coordinates)
NAMESPACE.update(_NDIMAGE_HELPERS)
globals().update({k: v for k, v in _NDIMAGE_HELPERS.items() if k not in globals()})
from .runtime_dists import NAMES as _DIST_HELPERS  # noqa: E402
NAMESPACE.update(_DIST_HELPERS)
globals().update({k: v for k, v in _DIST_HELPERS.items() if k not in globals()})
from .runtime_scans import NAMES as _SCAN_HELPERS  # noqa: E402,F401  (registers itself)
from .runtime_scans import (logaddexp_accumulate_grad, logaddexp_accumulate_jvp, running_extremum_grad,  # noqa: E402,F401
                            running_source)
from .runtime_fft import NAMES as _FFT_HELPERS  # noqa: E402
from .runtime_fft import fft_adjoint, fftfreq_adjoint  # noqa: E402,F401
NAMESPACE.update(_FFT_HELPERS)
from .runtime_scatter import NAMES as _SCATTER_HELPERS  # noqa: E402
from .runtime_scatter import scatter_add  # noqa: E402,F401
NAMESPACE.update(_SCATTER_HELPERS)
from .runtime_grads import digamma  # noqa: E402,F401
import math as _math  # noqa: E402

# the math module's scalar functions without a numpy twin, by the names their rows print
math_erf, math_erfc, math_lgamma, math_gamma = _math.erf, _math.erfc, _math.lgamma, _math.gamma
# (math.floor, ceil and trunc return ints: x[math.floor(s)], range(math.ceil(s)) index with them)
math_floor, math_ceil, math_trunc = _math.floor, _math.ceil, _math.trunc
NAMESPACE.update({"math_erf": math_erf, "math_erfc": math_erfc, "math_lgamma": math_lgamma,
                  "math_gamma": math_gamma, "math_floor": math_floor, "math_ceil": math_ceil,
                  "math_trunc": math_trunc})


def list_as_array(x, written=True):
    """`list(x)` of a float64 (or complex128) array, kept as the array's copy: read and written by
    element it holds what the list would (passes/list_arrays.rows_as_array); any other dtype, or
    rows of a list written into, is an error, where a list and an array would differ."""
    if isinstance(x, dict):
        from .errors import ArgumentError
        raise ArgumentError("list() of a dict s2sgrad reads only when the function runs (a module-level dict reached "
                            "through another name, a helper or a subscript): list its keys written out, or "
                            "call .keys() on the module-level name itself")
    x = np.asarray(x)
    if x.ndim > 1:
        from .errors import ArgumentError
        raise ArgumentError(f"list() of an array of {x.ndim} dimensions: the list holds views of its rows, which "
                            "a later write into the array changes (and a row written into the list may be any "
                            "value, where an array's row is broadcast into); keep the rows in the array itself "
                            "(rows = x.copy(), rows[i], rows[i] = ...)")
    if x.ndim == 0 or written and x.dtype not in (np.float64, np.complex128):
        from .errors import ArgumentError
        raise ArgumentError(f"list() of {'a number' if x.ndim == 0 else f'an array of {x.dtype}'}, then written by "
                            "element: s2sgrad keeps such a list as a float64 array's copy, which would hold other "
                            "values than the list (an int list keeps a float written into it); write "
                            "x.astype(np.float64).copy() and index that")
    return x.copy()


NAMESPACE["list_as_array"] = list_as_array
