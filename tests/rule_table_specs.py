"""How to call every row of the rule table (tests/test_rule_table_soundness.py walks them all).

`ROWS[op]` is `(form, args)`: `form` is a callee (`"np.clip"`), a method (`".clip"`, the first
argument is the receiver) or a template with `{0}, {1}, ...` for syntax (`"{0} < {1}"`); `args` are
`F(value, kw=...)` for an argument that takes floating values (the test makes each one active in
turn) and `S(value)` for one that does not (a shape, an axis, a boolean condition).  Values keep
clear of the rows' kinks and jumps (no value near an integer for floor, distinct values for
comparisons and argmax) so that finite differences are meaningful.

Rows that take no floating argument at all are in `NO_FLOAT_INPUT`, with the reason.
"""
import numpy as np

rng = np.random.default_rng(11)
X = rng.uniform(-0.9, 0.9, (3, 4))
Y = rng.uniform(-0.9, 0.9, (3, 4))
P = rng.uniform(0.3, 1.7, (3, 4))           # positive: log, sqrt, powers
U = rng.uniform(-0.8, 0.8, (3, 4))          # inside (-1, 1): arcsin, arccos
NI = np.array([[0.3, 1.2, -0.7, 2.4], [-1.6, 0.8, 3.3, -2.2], [1.7, -0.4, 0.2, 2.9]])  # off integers and halves
M = rng.uniform(-0.9, 0.9, (4, 2))
V = rng.uniform(-0.9, 0.9, 4)
W = rng.uniform(-0.9, 0.9, 3)
T3 = rng.uniform(-0.9, 0.9, (2, 3, 4))
SQ = rng.uniform(-0.9, 0.9, (3, 3))


from rule_table_specs_base import Code, F, K, S  # noqa: E402,F401

A = "a"  # numpy's name for the array argument of most functions

ROWS = {
    # arithmetic and casts
    "add": ("{0} + {1}", [F(X), F(Y)]),
    "sub": ("{0} - {1}", [F(X), F(Y)]),
    "neg": ("-{0}", [F(X)]),
    "pos": ("+{0}", [F(X)]),
    "mul": ("{0} * {1}", [F(X), F(Y)]),
    "truediv": ("{0} / {1}", [F(X), F(P)]),
    "pow": ("{0} ** {1}", [F(P), F(Y)]),
    "np.power": ("np.power", [F(P), F(Y)]),
    "mod": ("{0} % {1}", [F(P * 2.5), F(P)]),
    "floordiv": ("{0} // {1}", [F(NI), F(np.full((3, 4), 0.9))]),
    "float": ("float", [F(0.37)]),
    "np.float64": ("np.float64", [F(X)]),
    "np.float32": ("np.float32", [F(np.array([0.25, -0.5, 0.75]))]),  # exact in float32
    "np.int64": ("np.int64", [F(NI)]),
    "int": ("int", [F(2.3)]),
    "bool": ("bool", [F(0.4)]),
    ".astype": (".astype", [F(X), S(Code("np.float64"))]),
    "np.asarray": ("np.asarray", [F(X, kw=A)]),
    "np.array": ("np.array", [F(X, kw="object")]),
    "tuple": ("np.sum(tuple({0}), axis=0)", [F(X)]),  # not np.array(tuple(v)): that reads v itself
    ".copy": (".copy", [F(X)]),
    "np.copy": ("np.copy", [F(X, kw=A)]),
    "bool_and": ("{0} and {1}", [F(0.6), F(-0.3)]),
    "bool_or": ("{0} or {1}", [F(0.6), F(-0.3)]),
    # elementwise
    "np.exp": ("np.exp", [F(X)]), "np.log": ("np.log", [F(P)]), "np.sqrt": ("np.sqrt", [F(P)]),
    "np.sin": ("np.sin", [F(X)]), "np.cos": ("np.cos", [F(X)]), "np.tan": ("np.tan", [F(U)]),
    "np.tanh": ("np.tanh", [F(X)]), "np.abs": ("np.abs", [F(X)]), "abs": ("abs", [F(-0.45)]),
    "np.square": ("np.square", [F(X)]), "np.log1p": ("np.log1p", [F(P)]),
    "np.expm1": ("np.expm1", [F(X)]), "np.log2": ("np.log2", [F(P)]), "np.log10": ("np.log10", [F(P)]),
    "np.sinh": ("np.sinh", [F(X)]), "np.cosh": ("np.cosh", [F(X)]), "np.arctan": ("np.arctan", [F(X)]),
    "np.arcsin": ("np.arcsin", [F(U)]), "np.arccos": ("np.arccos", [F(U)]),
    "np.reciprocal": ("np.reciprocal", [F(P)]),
    "np.maximum": ("np.maximum", [F(X), F(Y)]), "np.minimum": ("np.minimum", [F(X), F(Y)]),
    "max": ("max", [F(0.3), F(-0.2)]), "min": ("min", [F(0.3), F(-0.2)]),
    "any": ("any(np.ravel({0}) > 0.1)", [F(X)]), "all": ("all(np.ravel({0}) > -5.0)", [F(X)]),
    "copy.copy": ("copy.copy({0})", [F(X)]), "copy.deepcopy": ("copy.deepcopy({0})", [F(X)]),
    "draw_scale": ("draw_scale(np.abs({0}) + 0.1)", [F(X)]),
    "draw_range": ("draw_range({0} + 5.0, {1})", [F(X), F(X)]),
    "draw_span": ("draw_span({0}, {1})", [F(X), F(X)]),
    "draw_size": ("np.sum(draw_size(None, {0}, {1}))", [F(X), F(X)]),
    "np.logaddexp": ("np.logaddexp", [F(X), F(Y)]), "np.arctan2": ("np.arctan2", [F(X), F(Y)]),
    "np.where": ("np.where", [S(X > 0), F(X), F(Y)]),
    "np.clip": ("np.clip", [F(X, kw=A), F(-0.35, kw="a_min"), F(0.45, kw="a_max")]),
    ".clip": (".clip", [F(X), F(-0.35, kw="min"), F(0.45, kw="max")]),
    # reductions
    "np.sum": ("np.sum", [F(X, kw=A), S(0, kw="axis")]), ".sum": (".sum", [F(X), S(1, kw="axis")]),
    "np.mean": ("np.mean", [F(X, kw=A), S(1, kw="axis")]), ".mean": (".mean", [F(X), S(0, kw="axis")]),
    "np.max": ("np.max", [F(X, kw=A), S(0, kw="axis")]), "np.amax": ("np.amax", [F(X, kw=A)]),
    ".max": (".max", [F(X), S(1, kw="axis")]), "np.min": ("np.min", [F(X, kw=A), S(1, kw="axis")]),
    "np.amin": ("np.amin", [F(X, kw=A), S(0, kw="axis")]), ".min": (".min", [F(X)]),
    "np.linalg.norm": ("np.linalg.norm", [F(X), S(None, kw="ord"), S(0, kw="axis")]),
    # linear algebra
    "matmul": ("{0} @ {1}", [F(X), F(M)]), "np.matmul": ("np.matmul", [F(X), F(M)]),
    "np.dot": ("np.dot", [F(T3, kw=A), F(np.moveaxis(T3, 1, 2)[:, :, :3].copy(), kw="b")]),
    ".dot": (".dot", [F(X), F(M)]), "np.outer": ("np.outer", [F(V, kw=A), F(W, kw="b")]),
    # shape operations
    ".reshape": (".reshape", [F(X), S((4, 3))]), "np.reshape": ("np.reshape", [F(X, kw=A), S((2, 6))]),
    ".ravel": (".ravel", [F(X)]), "np.ravel": ("np.ravel", [F(X, kw=A)]), ".flatten": (".flatten", [F(X)]),
    "@T": ("{0}.T", [F(X)]), "np.transpose": ("np.transpose", [F(T3, kw=A), S((2, 0, 1), kw="axes")]),
    ".transpose": (".transpose", [F(T3), S(1), S(0), S(2)]),
    "np.expand_dims": ("np.expand_dims", [F(X, kw=A), S(1, kw="axis")]),
    "np.squeeze": ("np.squeeze", [F(X[:, None, :], kw=A)]), ".squeeze": (".squeeze", [F(X[None])]),
    "np.broadcast_to": ("np.broadcast_to", [F(V), S((3, 4))]),
    "getitem": ("{0}[1:, ::2]", [F(X)]),
    "np.stack": ("np.stack([{0}, {1}], axis=1)", [F(X), F(Y)]),
    "np.concatenate": ("np.concatenate([{0}, {1}], axis=0)", [F(X), F(Y)]),
    # constructors
    "np.full": ("np.full", [S((2, 3, 4), kw="shape"), F(X, kw="fill_value")]),
    "np.full_like": ("np.full_like", [F(Y, kw=A), F(0.7, kw="fill_value")]),
    "np.linspace": ("np.linspace", [F(-0.3, kw="start"), F(W, kw="stop"), S(5, kw="num")]),
    "np.arange": ("np.arange", [F(0.35), F(3.1), F(0.45)]),
    "np.triu": ("np.triu", [F(SQ, kw="m"), S(1, kw="k")]),
    "np.tril": ("np.tril", [F(X, kw="m"), S(-1, kw="k")]),
    "np.zeros_like": ("np.zeros_like", [F(X, kw=A)]), "np.ones_like": ("np.ones_like", [F(X, kw=A)]),
    "np.empty_like": ("np.empty_like({0}).shape", [F(X)]),  # its values are whatever memory held
    "np.random.normal": ("np.random.normal", [F(X, kw="loc"), F(0.5, kw="scale")]),
    "np.random.uniform": ("np.random.uniform", [F(0.2, kw="low"), F(0.9, kw="high"), S(4, kw="size")]),
    # comparisons, logic, rounding, indices: piecewise constant
    "lt": ("{0} < {1}", [F(X), F(Y)]), "le": ("{0} <= {1}", [F(X), F(Y)]),
    "gt": ("{0} > {1}", [F(X), F(Y)]), "ge": ("{0} >= {1}", [F(X), F(Y)]),
    "eq": ("{0} == {1}", [F(X), F(Y)]), "ne": ("{0} != {1}", [F(X), F(Y)]),
    "not_": ("not {0}", [F(0.4)]), "is_": ("{0} is None", [F(X)]), "is_not": ("{0} is not None", [F(X)]),
    "in_": ("{0} in (1.0, 2.0)", [F(0.4)]), "not_in": ("{0} not in (1.0, 2.0)", [F(0.4)]),
    "np.sign": ("np.sign", [F(X)]), "np.floor": ("np.floor", [F(NI)]), "np.ceil": ("np.ceil", [F(NI)]),
    "np.round": ("np.round", [F(NI)]), "np.rint": ("np.rint", [F(NI)]), "np.trunc": ("np.trunc", [F(NI)]),
    "np.floor_divide": ("np.floor_divide", [F(NI), F(np.full((3, 4), 0.9))]),
    "np.argmax": ("np.argmax", [F(X, kw=A)]), "np.argmin": ("np.argmin", [F(X, kw=A)]),
    ".argmax": (".argmax", [F(X)]), ".argmin": (".argmin", [F(X)]),
    "np.argsort": ("np.argsort", [F(X, kw=A)]),
    "np.isnan": ("np.isnan", [F(X)]), "np.isfinite": ("np.isfinite", [F(X)]), "np.isinf": ("np.isinf", [F(X)]),
    "np.logical_and": ("np.logical_and", [F(X), F(Y)]), "np.logical_or": ("np.logical_or", [F(X), F(Y)]),
    "np.logical_not": ("np.logical_not", [F(X)]),
    "np.equal": ("np.equal", [F(X), F(Y)]), "np.greater": ("np.greater", [F(X), F(Y)]),
    "np.less": ("np.less", [F(X), F(Y)]),
    "np.all": ("np.all", [F(X, kw=A)]), "np.any": ("np.any", [F(X, kw=A)]),
    ".all": (".all", [F(X)]), ".any": (".any", [F(X)]),
    "np.allclose": ("np.allclose", [F(X), F(Y)]), "np.isclose": ("np.isclose", [F(X), F(Y)]),
    "np.count_nonzero": ("np.count_nonzero", [F(X, kw=A)]),
    # shapes and sizes: independent of the values
    "np.shape": ("np.shape", [F(X, kw=A)]), "np.ndim": ("np.ndim", [F(X, kw=A)]),
    "np.size": ("np.size", [F(X, kw=A)]), "len": ("len", [F(X)]),
    "@shape": ("{0}.shape", [F(X)]), "@ndim": ("{0}.ndim", [F(X)]), "@size": ("{0}.size", [F(X)]),
    "@dtype": ("{0}.dtype == np.float64", [F(X)]),
}

# rows that accept no floating argument, and why no test can make one active
NO_FLOAT_INPUT = {
    "np.zeros": "reads only a shape", "np.ones": "reads only a shape", "np.empty": "reads only a shape",
    "np.eye": "integer sizes and offset only", "np.identity": "an integer size only",
    "np.tri": "integer sizes and offset only", "range": "integers only (floats raise TypeError)",
    "np.random.randn": "integer sizes only", "np.random.rand": "integer sizes only",
    "np.random.random": "a size only", "np.random.standard_normal": "a size only",
    "and_": "numpy's & refuses floats (booleans and integers only)",
    "or_": "numpy's | refuses floats (booleans and integers only)",
    "invert": "numpy's ~ refuses floats (booleans and integers only)",
    "stop_gradient": "a constant by definition: the API's way to mark one (tests/test_functions.py)",
    "stop_gradient_identity": "internal row behind np.asarray/np.copy (walked through those rows)",
    "list_as_array": "internal row behind `L = list(x)` written by element, the array's copy (an identity): "
                     "tests/rule_cases.py's r_list_as_array checks it against finite differences",
    # a Generator the function makes (passes/rng_draws.py; tests/test_random_generators.py checks the draws)
    ".standard_normal": "a Generator's standard draw: a size and a dtype only",
    ".random": "a Generator's standard draw: a size and a dtype only",
    ".standard_exponential": "a Generator's standard draw: a size and a dtype only",
    ".integers": "integer bounds and a size only",
    ".choice": "a count only (draw_count refuses an array when it runs; p= is piecewise constant in the draw)",
    ".permutation": "a count only (draw_count refuses an array when it runs)",
    "np.random.default_rng": "an integer seed only", "np.random.seed": "an integer seed only (a statement)",
    "draw_count": "internal: a count, checked to be an integer",
    "draw_seed": "internal: a seed, checked to be numbers (not None or a generator)",
    # `global X` assigned in the function (frontend/effects.written_through; tests/test_global_counters.py)
    "global_read": "internal: a module's key and a name only (the value read has no floating input)",
    "global_write": "internal: a statement writing the module's name; it has no result for a derivative to "
                    "flow through (the value written is an output, as print's argument is)",
}

# rows walked with a random draw: the test seeds numpy's global generator before every call
RANDOM = {"np.random.normal", "np.random.uniform"}

# (row, argument) pairs that are refused with an error when active, with the reason (none today:
# random draws with a differentiable scale or bound are rewritten to keep the standard draw)
REFUSED = {}

# rows where a list literal of differentiable values may be refused (with an error naming the fix;
# where it is accepted, its gradient is checked like any other):
# Python, not numpy, decides what an operator, a list method or tuple() does with a list
# (`[a, b] + [c]` concatenates, `[a, b] * 2` repeats), so s2sgrad does not guess an array there
LIST_LITERAL_REFUSED = {"add", "sub", "mul", "truediv", "pow", "mod", "matmul", ".copy", "copy.copy", "copy.deepcopy", "draw_range", "draw_span", "draw_size", "tuple",
                        "scatter_add"}  # (np.add.at's target is an array the function names; values: np.array([...]))

# more ways to call some rows: options that take other paths through their rules
MORE = {
    "np.sum": [("np.sum", [F(T3), S((0, 2), kw="axis"), K(True, kw="keepdims")]),
               ("np.sum", [F(0.4), S(0, kw="axis")])],
    ".sum": [(".sum", [F(T3), S(-1, kw="axis"), K(True, kw="keepdims")])],
    "np.mean": [("np.mean", [F(T3), S((0, 1), kw="axis")]), ("np.mean", [F(0.4)])],
    "np.max": [("np.max", [F(T3), S(-1, kw="axis"), K(True, kw="keepdims")]), ("np.max", [F(0.4), S(0, kw="axis")])],
    "np.min": [("np.min", [F(T3), S((1, 2), kw="axis")])],
    "np.linalg.norm": [("np.linalg.norm", [F(X)]), ("np.linalg.norm", [F(V), S(2, kw="ord")]),
                       ("np.linalg.norm", [F(X), S(2, kw="ord"), S(1, kw="axis"), K(True, kw="keepdims")])],
    "matmul": [("{0} @ {1}", [F(V), F(T3.transpose(0, 2, 1).copy())]), ("{0} @ {1}", [F(T3), F(V)]),
               ("{0} @ {1}", [F(T3), F(rng.uniform(-0.9, 0.9, (4, 2)))]), ("{0} @ {1}", [F(V), F(V[::-1].copy())])],
    "np.dot": [("np.dot", [F(X), F(2.5)]), ("np.dot", [F(-1.5), F(X)]), ("np.dot", [F(W), F(T3)]),
               ("np.dot", [F(X), F(rng.uniform(-0.9, 0.9, (2, 4, 3)))]), ("np.dot", [F(T3), F(V)])],
    "np.outer": [("np.outer", [F(X[:2, :2].copy()), F(0.7)])],
    "np.transpose": [("np.transpose", [F(T3), S((-1, 0, 1))]), ("np.transpose", [F(0.4)])],
    ".transpose": [(".transpose", [F(X), S([1, 0])])],
    "np.ravel": [("np.ravel", [F(0.4)])], "np.squeeze": [("np.squeeze", [F(0.4)])],
    "np.expand_dims": [("np.expand_dims", [F(0.4), S(0)])],
    "np.concatenate": [("np.concatenate([{0}, {1}], axis=None)", [F(X), F(V)]),
                       ("np.concatenate([{0}, {1}], axis=-1)", [F(X), F(M.T.copy())])],
    "np.stack": [("np.stack([{0}, {1}], axis=-1)", [F(X), F(Y)]), ("np.stack([{0}, {1}])", [F(0.3), F(-0.6)])],
    "getitem": [("{0}[[0, 2, 0], :]", [F(X)]), ("{0}[:, [1, 3]]", [F(X)]), ("{0}[X > 0]", [F(X)])],
    "np.clip": [("np.clip", [F(X), F(-0.35, kw="a_min"), S(None, kw="a_max")]),
                ("np.clip", [F(X), S(None, kw="a_min"), F(Y, kw="a_max")])],
    "pow": [("{0} ** 0.0", [F(X)]), ("{0} ** 3", [F(X)]), ("0.0 ** {0}", [F(P)]), ("{0} ** 0.5", [F(0.49)])],
    "np.power": [("np.power(0.0, {0})", [F(P)]), ("np.power({0}, 2.5)", [F(P)])],
    "np.linspace": [("np.linspace", [F(0.2), F(1.7), S(6), K(False, kw="endpoint")]),
                    ("np.linspace", [F(-0.3), F(2.1), S(1)])],
    "np.arange": [("np.arange", [F(0.35), F(3.1)])],
    "np.triu": [("np.triu", [F(W)])],
    "np.array": [("np.array([[{0}, 1.0], [{1}, {0}]])", [F(0.3), F(-0.6)]), ("np.array", [F(0.4)]),
                 ("np.array([{0}, {1}])", [F(X), F(Y)])],
    "np.full": [("np.full", [S(3), F(0.4)])],
    "np.random.normal": [("np.random.normal", [F(0.3, kw="loc"), S(0.0, kw="scale"), K((2, 3), kw="size")])],
    "mul": [("{0} * {1}", [F(X), F(V)]), ("{0} * {1}", [F(0.4), F(X)])],
    "add": [("{0} + {1}", [F(X), F(Y[:, :1].copy())])],
    "np.maximum": [("np.maximum", [F(X), F(0.1)]), ("np.maximum", [F(0.1), F(X)])],
    "np.where": [("np.where", [S(X > 0), F(X), F(0.25)])],
}

# the rows added for numpy coverage (issue 11)
import rule_specs_numpy as _numpy  # noqa: E402

ROWS.update(_numpy.ROWS)
NO_FLOAT_INPUT.update(_numpy.NO_FLOAT_INPUT)
for _op, _more in _numpy.MORE.items():
    MORE.setdefault(_op, []).extend(_more)


def linalg_program(A, b, x):
    """A program through the linear-algebra rows whose generated code must be the specialised one
    (tests/golden/linalg_specialised.py): shape inference knows what inv, solve and cholesky return."""
    y = np.linalg.solve(A, b) * x
    z = np.linalg.inv(A) @ b + x
    L = np.linalg.cholesky(A @ A.T + np.eye(3))
    return np.sum(y * z) + np.sum(L * x[:, None]) + np.linalg.det(A)


# (np.linalg.multi_dot's own rank check: its operands, never a literal of rows, reach it)
LIST_LITERAL_REFUSED.add("multi_dot_checked")
