"""How a call's arguments reach its rule-table row (the frontend applies this to every call of a
numpy function or array method with a row).

Rules see positional arguments only, and activity analysis follows positional arguments only, so
anything that could carry a derivative must arrive positionally and as an array expression.
`arrange` guarantees:
- a keyword argument that can carry a derivative (`np.clip(x, a_min=lo)`, `np.full_like(y,
  fill_value=x)`) is moved to its position (gaps filled with numpy's defaults);
- any other keyword of a differentiable row is one of the static ones (`axis`, `keepdims`, `dtype`,
  ...), else the call is refused: an unknown keyword (`where=`, `out=`, `initial=`) would otherwise
  be differentiated as if it were absent;
- a reduction's options given by position are named (`np.mean(x, 1, None, None, True)` keeps its
  keepdims), and an elementwise row given more positional arguments than it reads (a ufunc's `out`
  by position) is refused;
- a list or tuple literal given where numpy takes an array (`np.mean([x, x + 2])`) becomes
  `np.array([...])`, and nested literals nested `np.array` calls, so the cotangent is split back to
  the elements (a literal of constants is left as written);
- `np.random.normal(mu, sigma)` with a scale that is not a constant becomes
  `mu + sigma * np.random.standard_normal(shape)`, and `np.random.uniform(low, high)` with a bound
  that is not a constant `low + (high - low) * np.random.random(shape)`: the same numbers from
  numpy's generator, with the draw kept so the scale and the bounds get their gradients;
- the builtins `max`/`min` of more than two values or of one list literal become nested binary
  `max`/`min` calls, and of one array `np.max(v, axis=0)` (what Python's iteration computes);
- `np.meshgrid(x, y, ...)` becomes a tuple of `meshgrid_part(k, indexing, sparse, x, y, ...)`, one
  per result (so it unpacks and indexes), and a ufunc's `reduce` gets numpy's default `axis=0`
  written out (the rows of np.sum/np.max... read an absent axis as None);
- options a row does not differentiate are refused by name (`period=` of np.interp, `fweights=`/
  `aweights=` of np.cov), before the row sees the call.
"""
from __future__ import annotations

from ..ir import Call, Const, ListExpr, Name, Tuple
from ..runtime_dists import KINDS as DIST_KINDS
from ..runtime_dists import SHAPES as DIST_SHAPES
from .args_forms import _DECOMPOSITIONS, _DRAWS, _SPLITS, _array_literal, _decomposition, _has_value, \
    _meshgrid, _reparameterised, _split, repeat_as_take
from . import masked_reductions
from .padded_diff import padded_diff
from .table import ARITY, RULES

_REQUIRED = object()

# the parameters, in numpy's order, of rows whose keyword arguments may carry a derivative
# (name, default); `synonyms` maps numpy's other spellings onto them
_PARAMS = {
    "np.clip": (("a", _REQUIRED), ("a_min", Const(None)), ("a_max", Const(None))),
    ".clip": (("self", _REQUIRED), ("min", Const(None)), ("max", Const(None))),
    "np.full": (("shape", _REQUIRED), ("fill_value", _REQUIRED)),
    "np.full_like": (("a", _REQUIRED), ("fill_value", _REQUIRED)),
    "np.linspace": (("start", _REQUIRED), ("stop", _REQUIRED)),
    "np.random.normal": (("loc", Const(0.0)), ("scale", Const(1.0))),
    "np.random.uniform": (("low", Const(0.0)), ("high", Const(1.0))),
    "np.array": (("object", _REQUIRED),),
    "np.asarray": (("a", _REQUIRED),),
    "logsumexp": (("a", _REQUIRED),),
    "np.dot": (("a", _REQUIRED), ("b", _REQUIRED)),
    "np.tensordot": (("a", _REQUIRED), ("b", _REQUIRED)),
    "np.inner": (("a", _REQUIRED), ("b", _REQUIRED)),
    "np.vdot": (("a", _REQUIRED), ("b", _REQUIRED)),
    "np.kron": (("a", _REQUIRED), ("b", _REQUIRED)),
    "np.cross": (("a", _REQUIRED), ("b", _REQUIRED)),
    "np.append": (("arr", _REQUIRED), ("values", _REQUIRED)),
    "np.delete": (("arr", _REQUIRED), ("obj", _REQUIRED)),
    "np.insert": (("arr", _REQUIRED), ("obj", _REQUIRED), ("values", _REQUIRED)),
    "np.take": (("a", _REQUIRED), ("indices", _REQUIRED)),
    "np.take_along_axis": (("arr", _REQUIRED), ("indices", _REQUIRED)),
    "np.choose": (("a", _REQUIRED), ("choices", _REQUIRED)),
    "np.select": (("condlist", _REQUIRED), ("choicelist", _REQUIRED), ("default", Const(0))),
    "np.outer": (("a", _REQUIRED), ("b", _REQUIRED)),
    "np.triu": (("m", _REQUIRED),),
    "np.tril": (("m", _REQUIRED),),
    "np.arange": (("start", _REQUIRED), ("stop", _REQUIRED), ("step", _REQUIRED)),
    "np.average": (("a", _REQUIRED), ("axis", Const(None)), ("weights", Const(None))),
    "np.bincount": (("x", _REQUIRED), ("weights", Const(None)), ("minlength", Const(0))),
    "np.percentile": (("a", _REQUIRED), ("q", _REQUIRED)),
    "np.quantile": (("a", _REQUIRED), ("q", _REQUIRED)),
    "np.convolve": (("a", _REQUIRED), ("v", _REQUIRED)),
    "np.correlate": (("a", _REQUIRED), ("v", _REQUIRED)),
    "np.interp": (("x", _REQUIRED), ("xp", _REQUIRED), ("fp", _REQUIRED), ("left", Const(None)),
                  ("right", Const(None))),
    "np.trapezoid": (("y", _REQUIRED), ("x", Const(None)), ("dx", Const(1.0))),
    "np.trapz": (("y", _REQUIRED), ("x", Const(None)), ("dx", Const(1.0))),
    "np.polyval": (("p", _REQUIRED), ("x", _REQUIRED)),
    "np.polyder": (("p", _REQUIRED),),
    "np.vander": (("x", _REQUIRED),),
    "np.cov": (("m", _REQUIRED), ("y", Const(None))),
    "np.corrcoef": (("x", _REQUIRED), ("y", Const(None))),
    "np.lib.stride_tricks.sliding_window_view": (("x", _REQUIRED),),
}
for _kind in ("logpdf", "pdf", "cdf", "logcdf", "ppf"):  # scipy.stats.norm.logpdf(x, loc=0, scale=1)...
    _PARAMS[f"scipy_norm_{_kind}"] = (("x" if _kind != "ppf" else "q", _REQUIRED), ("loc", Const(0.0)),
                                      ("scale", Const(1.0)))
for _name, _kinds in DIST_KINDS.items():  # scipy.stats.gamma.pdf(x, a, loc=0, scale=1)... (rules/scipy_dists.py)
    for _kind in _kinds:
        _PARAMS[f"scipy_{_name}_{_kind}"] = ((("k" if _name == "poisson" else "x"), _REQUIRED),) + tuple(
            (p, _REQUIRED) for p in DIST_SHAPES[_name]) + (("loc", Const(0.0)),) + (
            (("scale", Const(1.0)),) if _name != "poisson" else ())
for _name in ("convolve2d", "correlate2d"):  # scipy.signal.convolve2d(in1, in2, mode, boundary, fillvalue)
    _PARAMS[f"scipy_{_name}"] = (("in1", _REQUIRED), ("in2", _REQUIRED), ("mode", Const("full")),
                                 ("boundary", Const("fill")), ("fillvalue", Const(0)))
# scipy.ndimage.map_coordinates(input, coordinates, output, order, mode, cval, prefilter) (rules/ndimage.py)
_PARAMS["scipy_map_coordinates"] = (("input", _REQUIRED), ("coordinates", _REQUIRED), ("output", Const(None)),
                                    ("order", Const(3)), ("mode", Const("constant")), ("cval", Const(0.0)),
                                    ("prefilter", Const(True)))
# scipy.linalg.solve_triangular(a, b, trans, lower, unit_diagonal, overwrite_b, check_finite) (rules/triangular.py)
_PARAMS["scipy_solve_triangular"] = (("a", _REQUIRED), ("b", _REQUIRED), ("trans", Const(0)), ("lower", Const(False)),
                                     ("unit_diagonal", Const(False)), ("overwrite_b", Const(False)),
                                     ("check_finite", Const(True)))
# the rows of cho_factor's factor and of cho_solve, as cholesky_pair writes them (and generated code calls them)
_PARAMS["scipy_cho_factor"] = (("a", _REQUIRED), ("lower", Const(False)), ("check_finite", Const(True)))
_PARAMS["scipy_expm"] = (("A", _REQUIRED),)
_PARAMS["expm_frechet"] = (("a", _REQUIRED), ("e", _REQUIRED))
_PARAMS["scipy_cho_solve"] = (("c", _REQUIRED), ("lower", _REQUIRED), ("b", _REQUIRED), ("check_finite", Const(True)))
_SYNONYMS = {"np.clip": {"min": "a_min", "max": "a_max"}}
for _op in ("np.sum", "np.mean", "np.max", "np.min", "np.amax", "np.amin", "np.reshape", "np.ravel",
            "np.transpose", "np.expand_dims", "np.squeeze", "np.copy", "np.var", "np.std", "np.prod",
            "np.nansum", "np.nanmean", "np.cumsum", "np.cumprod", "np.ptp", "np.median", "np.diff",
            "np.trace", "np.diagonal", "np.moveaxis", "np.swapaxes", "np.rollaxis", "np.repeat", "np.roll",
            "np.sort", "np.partition", "np.nanmax", "np.nanmin"):
    _PARAMS[_op] = (("a", _REQUIRED),)
for _op in ("np.linalg.inv", "np.linalg.det", "np.linalg.eigvalsh", "np.linalg.eigh", "np.linalg.matrix_power",
            "np.linalg.pinv", "np.linalg.cholesky", "np.linalg.slogdet", "np.linalg.svd", "np.linalg.qr"):
    _PARAMS[_op] = (("a", _REQUIRED),)
_PARAMS["np.linalg.solve"] = (("a", _REQUIRED), ("b", _REQUIRED))
for _op, _name in (("np.gradient", "f"), ("np.diag", "v"), ("np.diagflat", "v"), ("np.flip", "m"), ("np.fliplr", "m"),
                   ("np.flipud", "m"), ("np.rot90", "m"), ("np.tile", "A"), ("np.pad", "array")):
    _PARAMS[_op] = ((_name, _REQUIRED),)

# rows whose rules read their options (axis, keepdims, ord) by name: options given by position
# are named, so `np.mean(x, 1, None, None, True)` keeps its keepdims and `np.sum(x, 0, None, y)`
# its out= (refused)
_REDUCE = ("axis", "dtype", "out", "keepdims", "initial", "where")
_NAMED_AFTER_FIRST = {
    "np.sum": _REDUCE, ".sum": _REDUCE,
    "np.mean": ("axis", "dtype", "out", "keepdims", "where"), ".mean": ("axis", "dtype", "out", "keepdims", "where"),
    "np.linalg.norm": ("ord", "axis", "keepdims"),
}
for _op in ("np.max", "np.amax", ".max", "np.min", "np.amin", ".min"):
    _NAMED_AFTER_FIRST[_op] = ("axis", "out", "keepdims", "initial", "where")
_VAR = ("axis", "dtype", "out", "ddof", "keepdims", "where")
_NAMED_AFTER_FIRST.update({
    "np.var": _VAR, ".var": _VAR, "np.std": _VAR, ".std": _VAR,
    "np.prod": _REDUCE, ".prod": _REDUCE, "np.nansum": _REDUCE,
    "np.nanmean": ("axis", "dtype", "out", "keepdims", "where"),
    "np.cumsum": ("axis", "dtype", "out"), ".cumsum": ("axis", "dtype", "out"),
    "np.cumprod": ("axis", "dtype", "out"), ".cumprod": ("axis", "dtype", "out"),
    "np.ptp": ("axis", "out", "keepdims"), "np.median": ("axis", "out", "overwrite_input", "keepdims"),
    "np.diff": ("n", "axis", "prepend", "append"),
    "np.trace": ("offset", "axis1", "axis2", "dtype", "out"), ".trace": ("offset", "axis1", "axis2", "dtype", "out"),
    "np.nanmax": ("axis", "out", "keepdims", "initial", "where"),
    "np.nanmin": ("axis", "out", "keepdims", "initial", "where"),
})
for _op in ("np.add.reduce", "np.multiply.reduce", "np.maximum.reduce", "np.minimum.reduce", "np.logaddexp.reduce"):
    _NAMED_AFTER_FIRST[_op] = _REDUCE  # ufunc.reduce(array, axis=0, dtype, out, keepdims, initial, where)
    _PARAMS[_op] = (("array", _REQUIRED),)
for _op in ("np.add.accumulate", "np.multiply.accumulate", "np.maximum.accumulate", "np.minimum.accumulate",
            "np.logaddexp.accumulate"):
    _NAMED_AFTER_FIRST[_op] = ("axis", "dtype", "out")  # ufunc.accumulate(array, axis=0, dtype, out)
    _PARAMS[_op] = (("array", _REQUIRED),)
# rows whose options after the first two arguments are named (the second carries a derivative)
_NAMED_AFTER_SECOND = {
    "np.percentile": ("axis", "out", "overwrite_input", "method", "keepdims"),
    "np.quantile": ("axis", "out", "overwrite_input", "method", "keepdims"),
    "np.take": ("axis", "out", "mode"), ".take": ("axis", "out", "mode"),
    "np.cov": ("rowvar", "bias", "ddof", "fweights", "aweights"),
    "np.corrcoef": ("rowvar",),
}
# keywords that never carry a derivative for one function only (elsewhere they would be unknown)
_STATIC_FOR = {"np.cov": {"rowvar", "bias"}, "np.corrcoef": {"rowvar"}, "np.polyder": {"m"},
               "np.vander": {"N", "increasing"},
               "np.lib.stride_tricks.sliding_window_view": {"window_shape", "writeable"}}  # (the row refuses writeable=True)
# options refused by name (s2sgrad does not differentiate them), unless given as None
_REFUSED_KEYWORDS = {("np.interp", "period"): "period= (periodic interpolation)",
                     ("np.cov", "fweights"): "fweights= (weighted observations)",
                     ("np.cov", "aweights"): "aweights= (weighted observations)"}

_DEFAULTS = {"out": None, "where": True}

# keywords that never carry a derivative: they may stay keywords
STATIC_KEYWORDS = frozenset({
    "axis", "axes", "keepdims", "dtype", "ord", "k", "endpoint", "num", "size", "shape", "newshape",
    "order", "copy", "ndmin", "retstep", "decimals", "subok", "ddof", "n", "offset", "axis1", "axis2",
    "method", "overwrite_input", "optimize", "full_matrices", "compute_uv", "hermitian", "UPLO", "mode",
    "source", "destination", "start", "repeats", "reps", "shift", "pad_width", "kind", "kth",
    "constant_values", "axisa", "axisb", "axisc", "nan", "posinf", "neginf",  # rules refuse computed ones
    "edge_order",
})

# positions that take an array_like, where the default (elementwise rows: every position; other
# rows: the first) is not right; methods count their receiver as position 0
_ARRAY_POSITIONS = {
    "np.matmul": (0, 1), "np.dot": (0, 1), ".dot": (1,), "np.outer": (0, 1), "np.full": (1,),
    "np.full_like": (0, 1), "np.linspace": (0, 1), "np.random.normal": (0, 1),
    "np.random.uniform": (0, 1), "np.broadcast_to": (0,), ".astype": (), "np.arange": (), "logsumexp": (0,),
    "np.stack": (), "np.concatenate": (), "np.array": (), "np.asarray": (),
    "np.average": (0, 2), "np.bincount": (1,), "np.percentile": (0, 1), "np.quantile": (0, 1), "np.tensordot": (0, 1),
    "np.inner": (0, 1), "np.vdot": (0, 1), "np.kron": (0, 1), "np.cross": (0, 1), "np.einsum": (),
    "np.linalg.solve": (0, 1), "np.append": (0, 1), "np.delete": (0,), "np.insert": (0, 2), "np.choose": (), "np.select": (2,), "np.hstack": (), "np.vstack": (),
    "np.dstack": (), "np.column_stack": (), "np.row_stack": (), "np.take": (0,), "np.take_along_axis": (0,),
    "np.convolve": (0, 1), "np.correlate": (0, 1), "np.interp": (0, 1, 2), "np.trapezoid": (0, 1),
    "np.trapz": (0, 1), "np.polyval": (0, 1), "np.cov": (0, 1), "np.corrcoef": (0, 1),
    "np.multiply.outer": (0, 1), "np.add.outer": (0, 1), "np.subtract.outer": (0, 1),
    "scipy_norm_logpdf": (0, 1, 2), "scipy_norm_pdf": (0, 1, 2), "scipy_norm_cdf": (0, 1, 2),
    "scipy_norm_logcdf": (0, 1, 2), "scipy_norm_ppf": (0, 1, 2), "scipy_expit": (0,), "scipy_log_expit": (0,), "scipy_logit": (0,),
}
_ARRAY_POSITIONS["scipy_convolve2d"] = _ARRAY_POSITIONS["scipy_correlate2d"] = (0, 1)
_ARRAY_POSITIONS["scipy_map_coordinates"] = _ARRAY_POSITIONS["scipy_solve_triangular"] = (0, 1)
_ARRAY_POSITIONS["scipy_cho_factor"], _ARRAY_POSITIONS["scipy_cho_solve"] = (0,), (0, 2)
_ARRAY_POSITIONS["scipy_expm"], _ARRAY_POSITIONS["expm_frechet"] = (0,), (0, 1)
_ARRAY_POSITIONS["multi_dot_checked"] = (0,)  # (numpy's multi_dot reads each operand as an array)
for _op in _PARAMS:
    if _op.startswith("scipy_") and _op.split("_")[1] in DIST_KINDS:
        _ARRAY_POSITIONS[_op] = tuple(range(len(_PARAMS[_op])))
for _m, _k in (("polynomial", "poly"), ("chebyshev", "cheb"), ("legendre", "leg"), ("hermite", "herm"),
               ("hermite_e", "herme"), ("laguerre", "lag")):  # (rules/series.py)
    _ARRAY_POSITIONS[f"np.polynomial.{_m}.{_k}val"] = (0, 1)
    _ARRAY_POSITIONS[f"np.polynomial.{_m}.{_k}der"] = (0,)
    _NAMED_AFTER_FIRST[f"np.polynomial.{_m}.{_k}der"] = ("m", "scl", "axis")
    _STATIC_FOR[f"np.polynomial.{_m}.{_k}der"] = {"m", "scl"}
# scipy.special's functions of rules/scipy_special.py: every argument takes an array_like, but
# polygamma's order n and multigammaln's dimension d (integers); softmax's axis may come by position
_ARRAY_POSITIONS.update({f"scipy_{_name}": (0,) for _name in (
    "gammaln", "loggamma", "gamma", "digamma", "erf", "erfc", "erfcx", "erfinv", "erfcinv", "ndtr", "log_ndtr",
    "ndtri", "entr", "i0", "i1", "i0e", "i1e", "k0", "k1", "k0e", "k1e", "multigammaln", "softmax",
    "log_softmax")})
_ARRAY_POSITIONS.update({f"scipy_{_name}": (0, 1) for _name in (
    "betaln", "beta", "xlogy", "xlog1py", "kl_div", "rel_entr")})
_ARRAY_POSITIONS["scipy_polygamma"] = (1,)
_PARAMS.update({"scipy_polygamma": (("n", _REQUIRED), ("x", _REQUIRED)),
                "scipy_multigammaln": (("a", _REQUIRED), ("d", _REQUIRED)),
                "scipy_softmax": (("x", _REQUIRED),), "scipy_log_softmax": (("x", _REQUIRED),)})
_NAMED_AFTER_FIRST.update({"scipy_softmax": ("axis",), "scipy_log_softmax": ("axis",),
                           "logsumexp": ("axis", "b", "keepdims", "return_sign")})
# scipy.special.logsumexp's weights are refused (b=None passes), return_sign=True too (False passes)
_REFUSED_KEYWORDS[("logsumexp", "b")] = ("the keyword argument 'b=' (weights; for positive ones write "
                                         "logsumexp(x + np.log(b)))")
_DEFAULTS["return_sign"] = False
# rows that take a list of arrays: nested literals among its elements become np.array calls
_SEQUENCE_OF_ARRAYS = {"np.stack": 0, "np.concatenate": 0, "np.hstack": 0, "np.vstack": 0, "np.dstack": 0,
                       "np.column_stack": 0, "np.row_stack": 0, "np.choose": 1, "np.select": 1}


def _positions(op, nargs):
    if op == "np.einsum":  # the subscripts, then the operands
        return tuple(range(1, nargs))
    if op in _ARRAY_POSITIONS:
        return _ARRAY_POSITIONS[op]
    rule = RULES.get(op)
    if rule is None or rule.kind == "nondiff" or not op.startswith(("np.", ".")):
        return ()  # builtins keep Python's semantics; constants need nothing
    if rule.kind == "elementwise":
        return tuple(range(1 if op.startswith(".") else 0, nargs))
    return () if op.startswith(".") else (0,)


def _spelled(op):
    """The row as the user wrote it, for messages (`norm.logpdf` for the row scipy_norm_logpdf)."""
    if op.startswith("scipy_") and op.split("_")[1] in ("norm",) + tuple(DIST_KINDS):
        return ".".join(op[len("scipy_"):].split("_", 1))
    return op[len("scipy_"):] if op.startswith("scipy_") else op


def _fold(op, values):
    out = values[0]
    for v in values[1:]:
        out = Call(op, (out, v))
    return out


def arrange(op, args, kwargs, refuse, bind=None):
    """The call as the row takes it (an IR expression); `refuse(message)` raises at the call,
    `bind(value, base)` computes a value once before the call and returns its name."""
    args, kwargs = list(args), list(kwargs)
    if op in ("max", "min"):
        if not args:
            raise refuse(f"{op}() of nothing")
        if kwargs:
            raise refuse(f"{op}() with keyword arguments ({', '.join(k for k, _ in kwargs)})")
        if len(args) == 1 and isinstance(args[0], (ListExpr, Tuple)) and args[0].elts:
            args = list(args[0].elts)
        if len(args) == 1:
            return Call("np." + op, (args[0],), (("axis", Const(0)),))
        return _fold(op, args)
    if op == "np.where" and len(args) + len(kwargs) == 2:  # (numpy's ValueError, at the user's line)
        raise refuse("np.where with a condition and one value: numpy takes both values (np.where(c, x, 0.0)) "
                     "or neither (np.where(c), the indices)")
    if op == "np.polyval" and args and (isinstance(args[0], (ListExpr, Tuple)) or isinstance(args[0], Const)
                                        and isinstance(args[0].value, (list, tuple))):
        args[0] = Call("np.array", (args[0],))  # np.polyval([1.0, 2.0, -1.0], x): numpy reads the list as an array
    if op == "np.meshgrid":
        return _meshgrid(args, kwargs, refuse, bind)
    if op in ("scipy.linalg.cho_factor", "scipy.linalg.cho_solve"):  # the pair (c, lower) (rules/scipy_linalg.py)
        from .scipy_linalg import cholesky_pair
        return cholesky_pair(op, args, kwargs, refuse, bind)
    if op == "np.linalg.multi_dot":  # the chain of np.dot it computes (numpy picks the order: the same value)
        if kwargs or len(args) != 1 or not isinstance(args[0], (ListExpr, Tuple)) or len(args[0].elts) < 2:
            raise refuse("np.linalg.multi_dot of other than a list or tuple of two or more arrays written in the "
                         "call (a list bound to a name first: write multi_dot([A, B, C]), or A @ B @ C)")
        elts = list(args[0].elts)
        if len(elts) > 2:  # (numpy's check of the ranks first: LinAlgError where np.dot would compute)
            elts = [e if isinstance(e, (Name, Const)) or bind is None else bind(e, "operand") for e in elts]
            elts[0] = Call("multi_dot_checked", tuple(elts))
        return _fold("np.dot", elts)
    if op == "np.linalg.lstsq":  # a tuple of its results' rows (rules/lstsq.py)
        from .lstsq import lstsq_parts
        return lstsq_parts(args, kwargs, refuse, bind)
    if op in _NAMED_AFTER_FIRST and len(args) > 1:  # np.mean(x, 1, None, None, True)
        named = _NAMED_AFTER_FIRST[op]
        if len(args) - 1 > len(named):
            raise refuse(f"{op}: too many positional arguments")
        kwargs = [(k, v) for k, v in zip(named, args[1:])] + kwargs
        args = args[:1]
    if op in _NAMED_AFTER_SECOND and len(args) > 2:  # np.percentile(x, 50, 0)
        named = _NAMED_AFTER_SECOND[op]
        if len(args) - 2 > len(named):
            raise refuse(f"{op}: too many positional arguments")
        kwargs = [(k, v) for k, v in zip(named, args[2:])] + kwargs
        args = args[:2]
    if op in ("np.repeat", ".repeat") and bind is not None:  # counts known only when running: a gather
        taken = repeat_as_take(op, args, kwargs, refuse, bind)
        if taken is not None:
            return arrange("np.take", list(taken.args), list(taken.kwargs), refuse, bind)
    if op in masked_reductions.MASKABLE:  # np.sum(x, where=m): np.sum(np.where(m, x, 0)) (masked_reductions.py)
        written = masked_reductions.rewrite(op, args, kwargs, refuse, bind, arrange)
        if written is not None:
            return written
    if op == "np.diff":  # prepend= / append=: joined to the differenced array (padded_diff.py)
        args, kwargs = padded_diff(args, kwargs, refuse, bind)
    if len(args) > ARITY.get(op, len(args)):
        raise refuse(f"{_spelled(op)}: an output array given by position (out=): write the result to a new name")
    params = _PARAMS.get(op, ())
    names = [p[0] for p in params]
    synonyms = _SYNONYMS.get(op, {})
    rule = RULES.get(op)
    kept, moved = [], {}
    for k, v in kwargs:
        k = synonyms.get(k, k)
        if (op, k) in _REFUSED_KEYWORDS:
            if isinstance(v, Const) and v.value is None:
                continue  # numpy's default, as if absent
            raise refuse(f"{op}: {_REFUSED_KEYWORDS[op, k]} is not supported")
        if k in names:
            i = names.index(k)
            if i < len(args) or i in moved:
                raise refuse(f"{_spelled(op)}: '{k}' given twice")
            moved[i] = v
        elif k in _DEFAULTS and isinstance(v, Const) and v.value is _DEFAULTS[k]:
            continue  # out=None, where=True: numpy's defaults, as if absent
        elif rule is not None and rule.kind != "nondiff" and k not in STATIC_KEYWORDS \
                and k not in _STATIC_FOR.get(op, ()):
            raise refuse(f"the keyword argument '{k}=' of {_spelled(op)} (s2sgrad would differentiate the call as "
                         "if it were absent): write what it computes explicitly, e.g. with np.where")
        else:
            kept.append((k, v))
    if moved:
        for i in range(len(args), max(moved) + 1):
            if i in moved:
                args.append(moved[i])
            elif params[i][1] is _REQUIRED:
                raise refuse(f"{_spelled(op)}: '{names[max(moved)]}=' without '{names[i]}'")
            else:
                args.append(params[i][1])
    if op == "np.asarray" and args and isinstance(args[0], (ListExpr, Tuple)):
        op = "np.array"  # asarray of a literal builds a new array, as np.array does
    if op in ("np.array", "np.asarray") and args and isinstance(args[0], Call) and args[0].op == "tuple" \
            and len(args[0].args) == 1 and not args[0].kwargs:
        op, args[0] = "np.array", args[0].args[0]  # np.array(tuple(v)): a new array with v's values
    if op == "np.array" and args and isinstance(args[0], (ListExpr, Tuple)):
        args[0] = _array_literal(args[0])
    elif op in _SEQUENCE_OF_ARRAYS and len(args) > _SEQUENCE_OF_ARRAYS[op] \
            and isinstance(args[_SEQUENCE_OF_ARRAYS[op]], (ListExpr, Tuple)):
        k = _SEQUENCE_OF_ARRAYS[op]
        args[k] = type(args[k])(tuple(Call("np.array", (_array_literal(x),))
                                      if isinstance(x, (ListExpr, Tuple)) and _has_value(x) else x
                                      for x in args[k].elts))
    for i in _positions(op, len(args)):
        if i < len(args) and isinstance(args[i], (ListExpr, Tuple)) and _has_value(args[i]):
            args[i] = Call("np.array", (_array_literal(args[i]),))
    if op in _DRAWS and any(not isinstance(a, Const) for a in args[_DRAWS[op][0]:2]):
        return _reparameterised(op, args, kept, refuse, bind)
    if op in _SPLITS:
        return _split(op, args, kept, refuse, bind)
    if op == ".sort":
        raise refuse("x.sort() sorts in place: write x = np.sort(x)")
    if op in _DECOMPOSITIONS:
        return _decomposition(op, args, kept, refuse, bind)
    if op in _NAMED_AFTER_FIRST and op.endswith((".reduce", ".accumulate")) and all(k != "axis" for k, _ in kept):
        kept.insert(0, ("axis", Const(0)))  # ufunc.reduce's default (np.sum's would be None)
    return Call(op, tuple(args), tuple(kept))


# np.fft's rows (rules/fft.py): options given by position are named (the rows read them by name);
# s= and norm= never carry a derivative; fftfreq's sample spacing d may (moved to position 1)
for _op in ("np.fft.fft", "np.fft.ifft", "np.fft.rfft", "np.fft.irfft"):
    _NAMED_AFTER_FIRST[_op] = ("n", "axis", "norm", "out")
    _STATIC_FOR[_op] = {"norm"}
for _op in ("np.fft.fft2", "np.fft.ifft2", "np.fft.rfft2", "np.fft.irfft2", "np.fft.fftn", "np.fft.ifftn",
            "np.fft.rfftn", "np.fft.irfftn"):
    _NAMED_AFTER_FIRST[_op] = ("s", "axes", "norm", "out")
    _STATIC_FOR[_op] = {"s", "norm"}
for _op in ("np.fft.fftshift", "np.fft.ifftshift"):
    _NAMED_AFTER_FIRST[_op] = ("axes",)
for _op in ("np.fft.fftfreq", "np.fft.rfftfreq"):
    _PARAMS[_op] = (("n", _REQUIRED), ("d", Const(1.0)))
    _ARRAY_POSITIONS[_op] = ()
_NAMED_AFTER_FIRST["np.angle"] = ("deg",)
_STATIC_FOR["np.angle"] = {"deg"}
