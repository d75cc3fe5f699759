"""Rule-table rows without a derivative."""
from __future__ import annotations

from .table import nondiff

# ------------------------------------------------------------------- non-differentiable
# Only results that are piecewise constant in, or independent of, the values of their floating
# arguments belong here (tests/test_rule_table_soundness.py checks each against finite differences):
# comparisons and logic (booleans), rounding and integer results, shapes and sizes, constructors that
# read only a shape, random draws whose distribution has no floating parameter, and stop_gradient.
nondiff("lt", "le", "gt", "ge", "eq", "ne", "and_", "or_", "invert", "not_",
        "is_", "is_not", "in_", "not_in", "floordiv",
        "np.sign", "np.floor", "np.ceil", "np.round", "np.rint", "np.trunc", "np.argmax", "np.argmin",
        "np.argsort", "np.isnan", "np.isfinite", "np.isinf", "np.logical_and", "np.logical_or",
        "np.logical_not", "np.shape", "np.ndim", "np.size", "len", "int", "bool", "range",
        "@shape", "@ndim", "@size", "@dtype", ".argmax", ".argmin",
        "np.zeros_like", "np.ones_like", "np.empty_like", "np.random.randn", "np.random.rand",
        "np.random.random", "np.random.standard_normal", "np.all", "np.any", ".all", ".any",
        "np.allclose", "np.isclose", "np.count_nonzero", "stop_gradient", "np.floor_divide",
        "np.equal", "np.greater", "np.less", "np.int64", "split_bounds", "ddof_scale",
        "table_index", "table_key",  # (a key of a table of functions: frontend/dispatch.py)
        "sort_order",  # (sorted(seq, key=f)'s permutation: ints, piecewise constant in the keys)
        "logdet_sign",  # (slogdet's sign: -1, 0 or 1, rules/linalg.py)
        "ix_part",  # (K[np.ix_(rows, cols)]: one axis's integer array, frontend/expressions.py)
        "succeeds",  # (whether a call raises: the branch of a try, frontend/trystmt.py)
        "aligned_mask",  # (np.where's mask where shapes are known at run time only: ad/reverse_rules.py)
        "math_floor", "math_ceil", "math_trunc",  # (math's: ints, piecewise constant)
        "any", "all")  # (Python's: a bool of the items' truth)
nondiff("np.zeros", "np.ones", "np.empty", "np.eye", "np.identity", "np.tri", shape_from_values=True)
# forward mode's helpers (generated tangent code calls them): a zero of a shape, a dtype
nondiff("zero_tangent", "tangent_dtype")
# text: an f-string's pieces ('W' + str(i)), a dict's key
nondiff("str", "repr", "format", "ascii")
# a string's own methods (passes/objects.str_method: `", ".join(names)`, `tag.upper()` in logging code),
# where their arguments are known only when the function runs; text, never a float
STR_METHODS = ("join", "upper", "lower", "strip", "lstrip", "rstrip", "title", "capitalize", "replace", "format",
               "startswith", "endswith", "center", "ljust", "rjust", "zfill", "split")
nondiff(*(f".{m}" for m in STR_METHODS))
# draws of a Generator the function makes (passes/rng_draws.py): standard draws, and integer results
# (a count's choice or permutation, checked to be a count when it runs: draw_count); the Generator
# itself, made from an int seed
GENERATOR_METHODS = ("standard_normal", "random", "standard_exponential", "integers", "choice", "permutation")
nondiff(*(f".{m}" for m in GENERATOR_METHODS), "np.random.default_rng", "draw_count", "np.random.seed", "draw_seed", "draw_size")
# `global X` assigned in the function (frontend/effects.written_through): its value at the start of a
# run, read from the module (no floating input: constant in them); writing it back is an effect
nondiff("global_read", "global_write")
