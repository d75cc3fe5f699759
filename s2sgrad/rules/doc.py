"""The README's list of supported functions, generated from the rule table (tests/test_rules_readme.py
keeps the README's copy identical to `supported_functions_markdown()`).

Guarantee: every row of `RULES` a user can call appears once, under the family of the module that
defines its rule, spelled as the user writes it (`np.var`, `x.var()`, `math.erf`, `a @ b`); rows
marked nondiff are listed apart (they give no gradient: piecewise constant or independent of the
values); internal rows (helpers the compiler writes) are left out.
"""
from __future__ import annotations

from . import NUMPY_ONLY, ORIGIN, RULES
from .resolve import _MATH

_OPERATORS = {"add": "a + b", "sub": "a - b", "mul": "a * b", "truediv": "a / b", "pow": "a ** b", "neg": "-a",
              "pos": "+a", "mod": "a % b", "matmul": "a @ b", "floordiv": "a // b", "lt": "<", "le": "<=",
              "gt": ">", "ge": ">=", "eq": "==", "ne": "!=", "and_": "&", "or_": "|", "invert": "~",
              "not_": "not", "bool_and": "and", "bool_or": "or", "is_": "is", "is_not": "is not", "in_": "in",
              "not_in": "not in", "getitem": "a[i] (slices, integer arrays, masks)", "@T": "a.T",
              "@shape": "a.shape", "@ndim": "a.ndim", "@size": "a.size", "@dtype": "a.dtype",
              "@real": "a.real", "@imag": "a.imag"}
_INTERNAL = {"stop_gradient_identity", "expm_frechet", "global_read", "global_write", "draw_count", "draw_scale", "draw_range", "draw_seed", "draw_span", "draw_size", "linalg_part", "decompose", "multi_dot_checked", "split_bounds", "ddof_scale", ".sort", "zero_tangent",
             "tangent_dtype", "meshgrid_part", "table_index", "table_key", "sort_order", "ix_part", "succeeds",
             "square_matrix", "aligned_mask", "lstsq_solution", "lstsq_residuals", "lstsq_rank", "list_as_array",
             "logdet", "logdet_sign", "smooth_square", "smooth_abs_square"}
_FAMILIES = [  # (module of s2sgrad/rules/ that defines the rows, heading)
    ("elementwise", "Elementwise and arithmetic"),
    ("more", "More elementwise functions"),
    ("basic", "Reductions, norms, indexing, stacking"),
    ("reductions", "Statistics and scans"),
    ("arrays", "Products, shapes, constructors, random draws"),
    ("contract", "Contractions"),
    ("shape", "Shape and assembly"),
    ("linalg", "Linear algebra"),
    ("signal", "Signals, interpolation, polynomials, grids"),
    ("covariance", "Covariance"),
    ("ufuncs", "ufunc methods, NaN-aware extrema"),
    ("windows", "Sliding windows"),
    ("scatter", "In place, as a statement"),
    ("scipy_rows", "scipy.special, scipy.stats (norm, gamma, beta, expon, poisson), scipy.signal (2-D convolution), scipy.ndimage.map_coordinates (order 0 and 1), scipy.linalg (solve_triangular, cho_factor, cho_solve, expm)"),
    ("fft", "np.fft (complex intermediates: np.abs, np.real, np.imag, np.conj, np.angle, np.vdot, "
            "np.linalg.solve and np.linalg.inv take complex values)"),
    ("scipy_special", "scipy.special's gamma (psi is digamma), error, Bessel and entropy functions, softmax"),
]


def _spelling(op):
    if op == "scatter_add":
        return "np.add.at(a, idx, v)"
    if op == "logsumexp":
        return "scipy.special.logsumexp"
    if op in ("scipy_convolve2d", "scipy_correlate2d"):
        return "scipy.signal." + op[len("scipy_"):]
    if op == "scipy_map_coordinates":
        return "scipy.ndimage.map_coordinates"
    if op in ("scipy_solve_triangular", "scipy_cho_factor", "scipy_cho_solve", "scipy_expm"):
        return "scipy.linalg." + op[len("scipy_"):]
    if op.startswith("scipy_") and op.split("_")[1] in ("norm", "gamma", "beta", "expon", "poisson") \
            and op.count("_") == 2:
        return "scipy.stats." + ".".join(op[len("scipy_"):].split("_", 1))
    if op.startswith("scipy_"):
        return "scipy.special." + op[len("scipy_"):]
    if op in _OPERATORS:
        return _OPERATORS[op]
    if op.startswith("math_"):
        return "math." + op[5:]
    if op.startswith("."):
        return "x" + op + "()"
    return op


def _family(op, rule):
    module = ORIGIN.get(op, "basic")
    if module in ("scipy_dists", "signal2d", "ndimage", "scipy_linalg"):  # (listed with scipy.stats.norm's rows)
        return "scipy_rows"
    if module == "lstsq":  # (its own module for its four parts; listed with linear algebra)
        return "linalg"
    if module == "elementwise" and rule.kind == "structural":
        return "basic"  # (the elementwise module holds no structural rows; kept for safety)
    return module


# spellings the frontend lowers into rows (frontend/expressions.py: index_trick; rules/args.py:
# multi_dot's chain of @), listed with them
_LOWERED = {"shape": ["np.r_[...]", "np.c_[...]"], "linalg": ["np.linalg.multi_dot([...])"]}


def _rows():
    groups = {key: [] for key, _ in _FAMILIES}
    for key, names in _LOWERED.items():
        groups[key] += [(n, True) for n in names]
    nondiff = []
    for op, rule in RULES.items():
        if op in _INTERNAL or rule.kind in ("custom_vjp", "custom_jvp", "opaque"):  # (the user's own rows;
            # library functions without a derivative: rules/opaque.py)
            continue
        if rule.kind == "nondiff":
            nondiff.append(_spelling(op))
            continue
        groups.setdefault(_family(op, rule), []).append((_spelling(op), op in NUMPY_ONLY))
    return groups, nondiff


def supported_functions_markdown() -> str:
    groups, nondiff = _rows()
    lines = ["<!-- generated from the rule table by s2sgrad/rules/doc.py: "
             "python tests/test_rules_readme.py --update -->"]
    titles = dict(_FAMILIES)
    for key, names in groups.items():
        if names:
            lines.append(f"- **{titles.get(key, key)}**: " + ", ".join(f"`{n}`" + ("†" if mark else "")
                                                                       for n, mark in sorted(set(names))))
    math_names = sorted(f"math.{name}" for name in _MATH)
    lines.append("- **Python's math module** (scalars): " + ", ".join(f"`{n}`" for n in math_names))
    lines.append("- **No gradient** (piecewise constant in, or independent of, the values): "
                 + ", ".join(f"`{n}`" for n in sorted(set(nondiff))))
    lines.append("")
    lines.append("Undefined points get documented subgradients: `abs`/`sign` and norms at 0 give 0 (as torch "
                 "does; `np.linalg.norm(x) ** 2` and `np.abs(x) ** 2` of real arrays are differentiated as the "
                 "sums of squares they are, so their second derivatives at 0 are exact too), ties in `max`/`min`/`ptp` (and `np.nanmax`/`np.nanmin`, whose NaN elements get 0) share "
                 "the cotangent, `np.interp` at a knot takes the slope of the segment numpy reads, "
                 "sort/median/percentile follow the "
                 "element numpy's stable sort puts there, `np.std` of a constant gives 0, `np.linalg.det`'s "
                 "derivative is the cofactor matrix, exact at a singular matrix too; eigh/svd divide by "
                 "eigenvalue gaps (repeated values give inf/NaN, as in JAX and torch; values equal within rounding "
                 "warn, as the gradient through the vectors is not reliable there). An adjoint known to be zero "
                 "somewhere -- the side `np.where` did not take, the NaN elements `np.nansum`/`np.nanmean`/"
                 "`np.nanmax` skip, what `d[mask]`, `s[x > 0]` or `np.sqrt(d2)[iu]` leaves out -- stays zero through the "
                 "elementwise rules before it, so an infinite partial there (`np.sqrt` of a pairwise distance's "
                 "zero diagonal) gives 0, not 0 * inf = nan; `np.take(..., mode='wrap'/'clip')`; `reshape`/`ravel` "
                 "with `order='F'` in reverse mode (forward mode refuses it); `where=` and `initial=` of `np.sum`, "
                 "`np.prod`, `np.mean`, `np.max` and `np.min` (written as the `np.where` they stand for: the left-out "
                 "elements get exactly 0); `np.repeat` with an array of counts or a count known only when it runs "
                 "(the gather `np.take(x, np.repeat(np.arange(n), r))`). `a, b = np.split(x, 2)`, "
                 "`w, V = np.linalg.eigh(A)`, `U, s, Vt = np.linalg.svd(A, full_matrices=False)`, "
                 "`Q, R = np.linalg.qr(A)`, `sign, logdet = np.linalg.slogdet(A)` (logdet with second derivatives: "
                 "hvp of a Gaussian log-likelihood), "
                 "`coef, *_ = np.linalg.lstsq(A, b, rcond=None)` and `X, Y = np.meshgrid(x, y)` unpack (lstsq's "
                 "solution is differentiated at constant rank, as pinv is: an `rcond` that drops a singular value "
                 "that is not zero is refused when it runs). "
                 "Refused with a message: `x.sort()` (in place), `x[idx] += v` with a repeated index "
                 "(numpy applies one of the writes), `np.linalg.svd` of a matrix that is not square without "
                 "`full_matrices=False` (checked when it runs), `out=` of any function, "
                 "percentile methods other than 'linear', `np.r_` with a directive string or a complex step, `np.c_` of "
                 "arrays of 3 or more dimensions, `np.interp` with `period=`, `np.cov` with `fweights=`/`aweights=`, "
                 "`np.meshgrid` with `copy=False`, `initial=`/`where=` of a ufunc's `reduce`, "
                 "`sliding_window_view` with `subok=True`/`writeable=True`, `np.cross` of other than 3-vectors "
                 "(checked at run time where the length is known only then). † numpy backend only: `backend='triton'` refuses these "
                 "rows (its host code would call torch's functions of those names, whose semantics differ); it "
                 "computes the unmarked elementwise rows in its kernels (np.fmod, np.remainder/np.mod and "
                 "np.nan_to_num on the host, through torch's functions of the same semantics). "
                 "A numpy function not listed here is refused by name at its line.")
    return "\n".join(lines)
