"""How to call the rule-table rows added for numpy coverage (issue 11): statistics, contractions,
shape and assembly, linear algebra, more elementwise functions and array methods.  Same format as
rule_table_specs.py (which merges these in); values keep clear of kinks and ties."""
import numpy as np

from rule_table_specs_base import F, K, S

rng = np.random.default_rng(17)
X = rng.uniform(-0.9, 0.9, (3, 4))
XZ = X.copy()
XZ[1, 2] = 0.0                                # a zero: prod and cumprod must stay exact
T3 = rng.uniform(-0.9, 0.9, (2, 3, 4))
V = rng.uniform(-0.9, 0.9, 5)
W4 = rng.uniform(0.2, 1.0, 4)                 # positive weights
A = "a"
# the choice indices np.choose reads (the walk's module imports CH and X from here)
CH = np.array([[0, 1, 1, 0], [1, 0, 0, 1], [0, 0, 1, 1]])

ROWS = {
    # statistics and scans
    "np.var": ("np.var", [F(X, kw=A), S(1, kw="axis")]),
    ".var": (".var", [F(X), S(0, kw="axis"), K(1, kw="ddof")]),
    "np.std": ("np.std", [F(X, kw=A), S(0, kw="axis"), K(1, kw="ddof")]),
    ".std": (".std", [F(X)]),
    "np.prod": ("np.prod", [F(XZ, kw=A), S(1, kw="axis")]),
    ".prod": (".prod", [F(X)]),
    "np.cumsum": ("np.cumsum", [F(X, kw=A), S(1, kw="axis")]),
    ".cumsum": (".cumsum", [F(X), S(0, kw="axis")]),
    "np.cumprod": ("np.cumprod", [F(XZ, kw=A), S(1, kw="axis")]),
    ".cumprod": (".cumprod", [F(X)]),
    "np.ptp": ("np.ptp", [F(X, kw=A), S(0, kw="axis")]),
    "np.nansum": ("np.nansum", [F(X, kw=A), S(1, kw="axis")]),
    "np.nanmean": ("np.nanmean", [F(X, kw=A), S(0, kw="axis")]),
    "np.median": ("np.median", [F(X, kw=A), S(1, kw="axis")]),
    "np.percentile": ("np.percentile", [F(X, kw=A), F(37.0, kw="q"), S(1, kw="axis")]),
    "np.quantile": ("np.quantile", [F(X, kw=A), F(np.array([0.3, 0.55]), kw="q")]),
    "np.average": ("np.average", [F(X, kw=A), S(1, kw="axis"), F(W4, kw="weights")]),
    "np.diff": ("np.diff", [F(X, kw=A), S(1, kw="n"), S(0, kw="axis")]),
    "np.trace": ("np.trace", [F(X, kw=A)]),
    ".trace": (".trace", [F(T3), S(1)]),
}

MORE = {
    "np.var": [("np.var", [F(T3), S((0, 2), kw="axis"), K(True, kw="keepdims")]), ("np.var", [F(X)])],
    "np.std": [("np.std", [F(T3), S(-1, kw="axis"), K(True, kw="keepdims")]), ("np.std", [F(V)])],
    "np.prod": [("np.prod", [F(XZ)]), ("np.prod", [F(T3), S((0, 2), kw="axis"), K(True, kw="keepdims")]),
                ("np.prod", [F(X), S(0, kw="axis")])],
    "np.cumsum": [("np.cumsum", [F(X)]), ("np.cumsum", [F(T3), S(-1, kw="axis")])],
    "np.cumprod": [("np.cumprod", [F(XZ)]), ("np.cumprod", [F(X), S(0, kw="axis")])],
    "np.ptp": [("np.ptp", [F(X)])],
    "np.median": [("np.median", [F(V)]), ("np.median", [F(X), S(0, kw="axis"), K(True, kw="keepdims")])],
    "np.percentile": [("np.percentile", [F(V), F(np.array([10.0, 62.0, 90.0]))]),
                      ("np.percentile", [F(T3), F(81.0), S(-1, kw="axis"), K(True, kw="keepdims")])],
    "np.average": [("np.average", [F(X)]), ("np.average", [F(X), S(None), F(X + 1.5)]),
                   ("np.average", [F(T3), S(0)])],
    "np.diff": [("np.diff", [F(X), S(2)]), ("np.diff", [F(T3), S(1, kw="n"), S(1, kw="axis")])],
    "np.trace": [("np.trace", [F(X), S(1, kw="offset")]), ("np.trace", [F(T3), S(0), S(1), S(2)])],
    "np.linalg.norm": [("np.linalg.norm", [F(V), S(o, kw="ord")]) for o in (1, 3, 0.5, np.inf, -np.inf, 0)] + [
        ("np.linalg.norm", [F(X), S(o, kw="ord")]) for o in (1, -1, 2, -2, np.inf, -np.inf, "fro", "nuc")] + [
        ("np.linalg.norm", [F(T3), S(o, kw="ord"), S((2, 0), kw="axis"), K(True, kw="keepdims")])
        for o in ("nuc", 2, 1, np.inf)] + [
        ("np.linalg.norm", [F(X), S(3, kw="ord"), S(1, kw="axis")])],
}

# contractions
B = rng.uniform(-0.9, 0.9, (4, 5))
SQ = rng.uniform(-0.9, 0.9, (3, 3))
C3 = rng.uniform(-0.9, 0.9, (2, 3))
D3 = rng.uniform(-0.9, 0.9, (4, 3))
ROWS.update({
    "np.einsum": ("np.einsum('ij,jk->ik', {0}, {1})", [F(X), F(B)]),
    "np.tensordot": ("np.tensordot", [F(T3, kw=A), F(rng.uniform(-0.9, 0.9, (3, 4, 2)), kw="b"), S(2, kw="axes")]),
    "np.inner": ("np.inner", [F(X, kw=A), F(D3.T.copy(), kw="b")]),
    "np.vdot": ("np.vdot", [F(X, kw=A), F(rng.uniform(-0.9, 0.9, 12), kw="b")]),
    "np.kron": ("np.kron", [F(C3, kw=A), F(X, kw="b")]),
    "np.cross": ("np.cross", [F(C3, kw=A), F(D3[:2].copy(), kw="b")]),
})
MORE.update({
    "np.einsum": [("np.einsum('ii->', {0})", [F(SQ)]), ("np.einsum('ii->i', {0})", [F(SQ)]),
                  ("np.einsum('ij->i', {0})", [F(X)]), ("np.einsum('ij,ij', {0}, {1})", [F(X), F(X + 0.5)]),
                  ("np.einsum('...ij,...jk->...ik', {0}, {1})", [F(T3), F(rng.uniform(-0.9, 0.9, (2, 4, 3)))]),
                  ("np.einsum('bij,jk,bk->bi', {0}, {1}, {2})", [F(T3), F(B), F(rng.uniform(-0.9, 0.9, (2, 5)))]),
                  ("np.einsum('i,j', {0}, {1})", [F(V), F(W4)]), ("np.einsum('iij->ij', {0})", [F(np.stack([SQ] * 2, -1))]),
                  ("np.einsum('...i,i->...', {0}, {1})", [F(T3), F(W4)]), ("np.einsum('ij,k->ijk', {0}, {1})", [F(X), F(V)])],
    "np.tensordot": [("np.tensordot", [F(X), F(B), S(1)]), ("np.tensordot", [F(T3), F(X), S(((0, 2), (1, 0)))]),
                     ("np.tensordot", [F(V), F(V + 1.0), S(0)])],
    "np.inner": [("np.inner", [F(V), F(V + 0.3)]), ("np.inner", [F(T3), F(W4)]), ("np.inner", [F(2.5), F(X)])],
    "np.vdot": [("np.vdot", [F(X), F(X + 0.2)])],
    "np.kron": [("np.kron", [F(V), F(W4)]), ("np.kron", [F(W4), F(T3)])],
    "np.cross": [("np.cross", [F(D3), F(rng.uniform(-0.9, 0.9, 3))])],
})

# shape and assembly
Y = rng.uniform(-0.9, 0.9, (3, 4))
DX = np.array([[0.31, -0.52, 0.77, 0.12], [0.05, 0.64, -0.29, -0.83], [0.48, -0.11, 0.93, -0.67]])  # distinct
ROWS.update({
    "np.hstack": ("np.hstack([{0}, {1}])", [F(X), F(Y[:, :2].copy())]),
    "np.vstack": ("np.vstack([{0}, {1}])", [F(X), F(W4)]),
    "np.dstack": ("np.dstack([{0}, {1}])", [F(X), F(Y)]),
    "np.column_stack": ("np.column_stack([{0}, {1}])", [F(X), F(rng.uniform(-0.9, 0.9, 3))]),
    "np.append": ("np.append", [F(X, kw="arr"), F(V, kw="values")]),
    "np.delete": ("np.delete", [F(X, kw="arr"), S([0, 2], kw="obj"), S(1, kw="axis")]),
    "np.insert": ("np.insert", [F(X, kw="arr"), S([1, 1, 3], kw="obj"), F(rng.uniform(-0.9, 0.9, 3), kw="values")]),
    "np.atleast_1d": ("np.atleast_1d", [F(0.4)]),
    "np.atleast_2d": ("np.atleast_2d", [F(W4)]),
    "np.atleast_3d": ("np.atleast_3d", [F(X)]),
    "np.moveaxis": ("np.moveaxis", [F(T3, kw=A), S(0, kw="source"), S(-1, kw="destination")]),
    "np.swapaxes": ("np.swapaxes", [F(T3, kw=A), S(0, kw="axis1"), S(2, kw="axis2")]),
    ".swapaxes": (".swapaxes", [F(T3), S(1), S(2)]),
    "np.rollaxis": ("np.rollaxis", [F(T3, kw=A), S(2, kw="axis")]),
    "np.repeat": ("np.repeat", [F(X, kw=A), S(3, kw="repeats"), S(1, kw="axis")]),
    ".repeat": (".repeat", [F(X), S(2)]),
    "np.tile": ("np.tile", [F(X, kw="A"), S((2, 1, 3), kw="reps")]),
    "np.pad": ("np.pad", [F(X), S(((1, 2), (0, 3)), kw="pad_width")]),
    "np.roll": ("np.roll", [F(X, kw=A), S(2, kw="shift"), S(1, kw="axis")]),
    "np.flip": ("np.flip", [F(T3, kw="m"), S(1, kw="axis")]),
    "np.flipud": ("np.flipud", [F(X, kw="m")]),
    "np.fliplr": ("np.fliplr", [F(X, kw="m")]),
    "np.rot90": ("np.rot90", [F(X, kw="m"), S(3, kw="k")]),
    "np.diag": ("np.diag", [F(W4, kw="v"), S(1, kw="k")]),
    "np.diagonal": ("np.diagonal", [F(T3, kw=A), S(1, kw="offset"), S(1, kw="axis1"), S(2, kw="axis2")]),
    ".diagonal": (".diagonal", [F(X)]),
    "np.diagflat": ("np.diagflat", [F(X[:2, :2].copy(), kw="v"), S(-1, kw="k")]),
    "np.sort": ("np.sort", [F(DX, kw=A), S(0, kw="axis")]),
    "np.partition": ("np.partition", [F(DX, kw=A), S(2, kw="kth")]),
    "np.take": ("np.take", [F(X, kw=A), S(np.array([0, 2, 2, 1]), kw="indices"), S(1, kw="axis")]),
    ".take": (".take", [F(X), S(np.array([[0, 5], [5, 11]]))]),
    "np.take_along_axis": ("np.take_along_axis", [F(X, kw="arr"), S(np.array([[0, 3], [1, 1], [2, 0]]), kw="indices"),
                                                  S(1, kw="axis")]),
    "np.choose": ("np.choose(CH, [{0}, {1}])", [F(X), F(Y)]),
    "np.select": ("np.select([X > 0.3, X < -0.2], [{0}, {1}], {2})", [F(X), F(Y), F(0.25)]),
})
MORE.update({
    "np.hstack": [("np.hstack([{0}, {1}])", [F(V), F(W4)])],
    "np.vstack": [("np.vstack([{0}, {1}])", [F(V), F(V + 1.0)])],
    "np.dstack": [("np.dstack([{0}, {1}])", [F(V), F(V + 1.0)])],
    "np.append": [("np.append", [F(X), F(Y[:1].copy()), S(0, kw="axis")])],
    "np.delete": [("np.delete", [F(X), S(1)]), ("np.delete", [F(T3), S(slice(0, 2)), S(2)])],
    "np.insert": [("np.insert", [F(X), S(2), F(0.4), S(1)]), ("np.insert", [F(X), S([0, 2]), F(Y[:2].copy()), S(0)])],
    "np.repeat": [("np.repeat", [F(X), S(2)]), ("np.repeat", [F(T3), S(2), S(-1)])],
    "np.tile": [("np.tile", [F(W4), S(3)]), ("np.tile", [F(T3), S((2, 1))])],
    "np.pad": [("np.pad", [F(X), S(((1, 2), (2, 3))), S(m, kw="mode")]) for m in ("edge", "reflect", "symmetric", "wrap")] + [
        ("np.pad", [F(V), S(2), S("constant"), K(1.5, kw="constant_values")])],
    "np.roll": [("np.roll", [F(X), S(5)]), ("np.roll", [F(T3), S((1, -1)), S((0, 2))])],
    "np.flip": [("np.flip", [F(X)])],
    "np.rot90": [("np.rot90", [F(T3), S(1), S((1, 2))])],
    "np.diag": [("np.diag", [F(X), S(-1)]), ("np.diag", [F(X)])],
    "np.sort": [("np.sort", [F(DX)]), ("np.sort", [F(DX), S(None)])],
    "np.partition": [("np.partition", [F(DX), S(1), S(0)]), ("np.partition", [F(DX.ravel()), S((2, 7))])],
    "np.take": [("np.take", [F(X), S(np.array([1, 1, 7]))])],
})
ROWS.update({
    "np.split": ("np.split({0}, 2, axis=1)[1]", [F(X)]),
    "np.array_split": ("np.array_split({0}, 2)[0]", [F(X)]),
    "np.vsplit": ("np.vsplit({0}, [1])[1]", [F(X)]),
    "np.hsplit": ("np.hsplit({0}, 2)[0]", [F(X)]),
    "np.dsplit": ("np.dsplit({0}, [1, 3])[1]", [F(T3)]),
})
# (sorted(key=)'s permutation, passes/sort_by_key.py: the items move, the keys carry no derivative)
ROWS["sort_order"] = ("sorted([{0}[0], {0}[1], {0}[2]], key=lambda v: np.sin(3.0 * v))[0] * {0}[1]", [F(np.array([0.3, -0.7, 1.1]))])
if hasattr(np, "row_stack"):
    ROWS["np.row_stack"] = ("np.row_stack([{0}, {1}])", [F(X), F(W4)])
# rows with no floating input (merged into rule_table_specs.NO_FLOAT_INPUT)
NO_FLOAT_INPUT = {"split_bounds": "internal: the integer bounds of np.split's pieces, from a shape",
                  "ddof_scale": "internal: var/std's adjoint scale k / (N - ddof), from a shape and ddof",
                  "zero_tangent": "internal (forward mode): zeros of a value's shape, independent of its values",
                  "tangent_dtype": "internal (forward mode): a dtype",
                  "table_index": "internal: the position a key picks in a tuple of functions (an int)",
                  "table_key": "internal: the key a dict of functions is read at (hashable, never a float array)",
                  "ix_part": "internal: one axis's integer array of np.ix_'s open mesh (K[np.ix_(rows, cols)])",
                  "succeeds": "internal: whether a call raises (a bool: the branch a try takes)",
                  "aligned_mask": "internal: np.where's mask, or a bool, for an adjoint of run-time shape (a bool)",
                  "str": "text (an f-string's pieces, a dict's key): tests/test_fstrings.py",
                  "repr": "text (an f-string's {x!r}): tests/test_fstrings.py",
                  "format": "text (an f-string's {x:.3f}): tests/test_fstrings.py",
                  "ascii": "text (an f-string's {x!a}): tests/test_fstrings.py"}
for _m in ("join", "upper", "lower", "strip", "lstrip", "rstrip", "title", "capitalize", "replace", "format",
           "startswith", "endswith", "center", "ljust", "rjust", "zfill", "split"):
    NO_FLOAT_INPUT[f".{_m}"] = "text: a string's own method (', '.join(names) in logging code): tests/test_fstrings.py"

# linear algebra (well-conditioned matrices; symmetric ones built inside the form where needed)
PD = np.array([[2.0, 0.3, -0.2], [0.4, 1.7, 0.1], [-0.1, 0.2, 1.5]])   # not symmetric: only its lower triangle is read
PD3 = np.stack([PD, PD.T + 0.1 * np.eye(3)])
RECT = rng.uniform(-0.9, 0.9, (4, 3))
ROWS.update({
    "np.linalg.inv": ("np.linalg.inv", [F(PD, kw="a")]),
    "np.linalg.solve": ("np.linalg.solve", [F(PD, kw="a"), F(rng.uniform(-0.9, 0.9, 3), kw="b")]),
    "np.linalg.det": ("np.linalg.det", [F(PD, kw="a")]),
    "np.linalg.slogdet": ("np.linalg.slogdet({0})[1]", [F(PD)]),
    "np.linalg.cholesky": ("np.linalg.cholesky", [F(PD, kw="a")]),
    "np.linalg.eigh": ("np.linalg.eigh({0})[1] * np.linalg.eigh({0})[0]", [F(PD)]),
    "np.linalg.eigvalsh": ("np.linalg.eigvalsh", [F(PD, kw="a")]),
    "np.linalg.svd": ("np.linalg.svd({0}, full_matrices=False)[0] * np.linalg.svd({0}, full_matrices=False)[1]", [F(RECT)]),
    "np.linalg.qr": ("np.linalg.qr({0})[0] * np.linalg.qr({0})[1][0]", [F(RECT)]),
    "np.linalg.pinv": ("np.linalg.pinv", [F(RECT, kw="a")]),
    "np.linalg.matrix_power": ("np.linalg.matrix_power", [F(PD * 0.5, kw="a"), S(3, kw="n")]),
    "linalg_part": ("np.linalg.svd({0}, full_matrices=False)[2]", [F(RECT.T.copy())]),
    "cofactor": ("cofactor", [F(PD)]),  # (det's adjoint, differentiated again for second order)
    "logdet": ("logdet", [F(PD)]),  # (slogdet's second result, rules/args_forms.py)
    # (norm(x) ** 2 and abs(x) ** 2 read as sums of squares: passes/smooth_squares.py)
    "smooth_square": ("smooth_square(np.linalg.norm({0}), {0})", [F(X)]),
    "smooth_abs_square": ("smooth_abs_square(np.abs({0}), {0})", [F(V)]),
    "logdet_sign": ("logdet_sign({0}) * 2.0", [F(PD)]),  # (slogdet's sign: piecewise constant)
})
MORE.update({
    "np.linalg.inv": [("np.linalg.inv", [F(PD3)])],
    "np.linalg.solve": [("np.linalg.solve", [F(PD3), F(rng.uniform(-0.9, 0.9, (2, 3, 2)))])],
    "np.linalg.det": [("np.linalg.det", [F(PD3)])],
    "cofactor": [("cofactor", [F(PD3)])],
    "logdet": [("logdet", [F(PD3)])],
    "smooth_square": [("smooth_square(np.linalg.norm({0}, axis=1), {0}, axis=1)", [F(T3)]),
                      ("smooth_square(np.linalg.norm({0}, axis=-1, keepdims=True), {0}, axis=-1, keepdims=True)",
                       [F(X)])],
    "np.linalg.slogdet": [("np.linalg.slogdet({0})[1]", [F(PD3)])],
    "np.linalg.cholesky": [("np.linalg.cholesky", [F(PD3)])],
    "np.linalg.eigh": [("np.linalg.eigh({0})[0]", [F(PD3)])],
    "np.linalg.svd": [("np.linalg.svd({0}, compute_uv=False)", [F(RECT)]),
                      ("np.linalg.svd({0}, full_matrices=False)[2]", [F(RECT)])],
    "np.linalg.qr": [("np.linalg.qr({0}, mode='r')", [F(RECT)]), ("np.linalg.qr({0})[1]", [F(PD)])],
    "np.linalg.matrix_power": [("np.linalg.matrix_power", [F(PD), S(-2)]), ("np.linalg.matrix_power", [F(PD), S(1)])],
})
ROWS["decompose"] = ("np.linalg.eigh({0})[1]", [F(PD3)])
B4 = rng.uniform(-0.9, 0.9, 4)
ROWS.update({  # (rules/lstsq.py: the four results are rows of their own)
    "np.linalg.lstsq": ("np.linalg.lstsq({0}, {1}, rcond=None)[0]", [F(RECT), F(B4)]),
    "lstsq_solution": ("np.linalg.lstsq({0}, {1}, rcond=None)[0]", [F(RECT), F(rng.uniform(-0.9, 0.9, (4, 2)))]),
    "lstsq_residuals": ("np.linalg.lstsq({0}, {1}, rcond=None)[1]", [F(RECT), F(B4)]),
    "lstsq_rank": ("np.linalg.lstsq({0}, {1}, rcond=None)[2] * np.linalg.lstsq({0}, {1}, rcond=None)[0]", [F(RECT), F(B4)]),
})
MORE["lstsq_solution"] = [("np.linalg.lstsq({0}, {1}, rcond=None)[0]", [F(RECT.T.copy()), F(B4[:3])])]  # (minimum norm)
MORE["lstsq_residuals"] = [("np.linalg.lstsq({0}, {1})[1]", [F(RECT), F(rng.uniform(-0.9, 0.9, (4, 2)))])]
ROWS["square_matrix"] = ("np.linalg.svd({0})[0] * np.linalg.svd({0})[1]", [F(PD)])  # (full_matrices=True, square)

# more elementwise functions, math's scalar functions, methods, index-valued functions
PP = rng.uniform(0.3, 1.7, (3, 4))
NI2 = np.array([[0.3, 1.2, -0.7, 2.4], [-1.6, 0.8, 3.3, -2.2], [1.7, -0.4, 0.2, 2.9]])  # off integers and halves
UU = rng.uniform(-0.8, 0.8, (3, 4))
ROWS.update({
    "np.remainder": ("np.remainder", [F(PP * 2.5), F(PP)]), "np.mod": ("np.mod", [F(PP * 2.5), F(PP)]),
    "np.fmod": ("np.fmod", [F(X * 2.5), F(PP)]), "np.hypot": ("np.hypot", [F(X), F(Y)]),
    "np.logaddexp2": ("np.logaddexp2", [F(X), F(Y)]), "np.exp2": ("np.exp2", [F(X)]),
    "np.arcsinh": ("np.arcsinh", [F(X)]), "np.arccosh": ("np.arccosh", [F(PP + 1.0)]),
    "np.arctanh": ("np.arctanh", [F(UU)]), "np.deg2rad": ("np.deg2rad", [F(X)]),
    "np.radians": ("np.radians", [F(X)]), "np.rad2deg": ("np.rad2deg", [F(X)]),
    "np.degrees": ("np.degrees", [F(X)]), "np.cbrt": ("np.cbrt", [F(X)]), "np.sinc": ("np.sinc", [F(X)]),
    "np.real": ("np.real", [F(X)]), "np.conj": ("np.conj", [F(X)]), "np.conjugate": ("np.conjugate", [F(X)]),
    "np.positive": ("np.positive", [F(X)]), "np.fmax": ("np.fmax", [F(X), F(Y)]), "np.fmin": ("np.fmin", [F(X), F(Y)]),
    "np.copysign": ("np.copysign", [F(X), F(Y)]), "np.ldexp": ("np.ldexp({0}, 3)", [F(X)]),
    "np.heaviside": ("np.heaviside", [F(X), F(0.3)]), "np.nan_to_num": ("np.nan_to_num", [F(X)]),
    "math_erf": ("math.erf", [F(0.37)]), "math_erfc": ("math.erfc", [F(-0.52)]),
    "math_lgamma": ("math.lgamma", [F(2.3)]), "math_gamma": ("math.gamma", [F(0.7)]),
    "math_floor": ("math.floor", [F(1.3)]), "math_ceil": ("math.ceil", [F(-0.7)]),
    "math_trunc": ("math.trunc(float({0}))", [F(2.6)]),  # (a 0-d float32 array has no __trunc__)
    "np.imag": ("np.imag", [F(X)]), "np.angle": ("np.angle", [F(X)]), "np.signbit": ("np.signbit", [F(X)]),
    "np.fix": ("np.fix", [F(NI2)]), "np.argpartition": ("np.argpartition", [F(DX), S(1)]),
    "np.nonzero": ("np.nonzero({0})[0]", [F(X)]), "np.flatnonzero": ("np.flatnonzero", [F(X)]),
    "np.searchsorted": ("np.searchsorted(np.sort({0}), 0.1)", [F(V)]), "np.digitize": ("np.digitize", [F(X), S(np.array([-0.5, 0.0, 0.5]))]),
    ".argsort": (".argsort", [F(DX)]), ".nonzero": ("{0}.nonzero()[1]", [F(X)]),
    "np.around": ("np.around", [F(NI2)]), ".round": (".round", [F(NI2)]),
    ".conj": (".conj", [F(X)]), ".conjugate": (".conjugate", [F(X)]),
})
MORE.update({
    "np.fmax": [("np.fmax", [F(X), F(np.where(X > 0.3, np.nan, Y))])],
    "np.fmin": [("np.fmin", [F(np.where(X > 0.3, np.nan, X)), F(Y)])],
    "np.nan_to_num": [("np.nan_to_num", [F(np.where(X > 0.5, np.inf, X)), K(1.5, kw="posinf")])],
    "math_lgamma": [("math.lgamma", [F(-2.6)]), ("math.lgamma", [F(13.5)])],
    "np.sinc": [("np.sinc", [F(0.0)])],
    "np.hypot": [("np.hypot", [F(X), F(0.4)])],
})
NO_FLOAT_INPUT[".sort"] = "refused at its line (x.sort() sorts in place): tests/test_rules_numpy.py checks the message"
ROWS["np.gradient"] = ("np.gradient", [F(V, kw="f")])
ROWS["logsumexp"] = ("logsumexp", [F(X, kw=A), S(1, kw="axis")])  # scipy.special.logsumexp
MORE["logsumexp"] = [("logsumexp", [F(X), K(0, kw="axis"), K(True, kw="keepdims")]), ("logsumexp", [F(V)])]
MORE["np.gradient"] = [("np.gradient", [F(X), S(0.5), K(1, kw="axis")]), ("np.gradient", [F(T3), K(0, kw="axis")])]

# signals, interpolation, integration, polynomials, grids, covariance (rules/signal.py, covariance.py)
V7 = rng.uniform(-0.9, 0.9, 7)
XP = np.array([-0.8, -0.3, 0.1, 0.45, 0.9])          # knots, with margins for finite differences
FP = rng.uniform(-0.9, 0.9, 5)
XQ = np.array([[-0.95, -0.55, 0.0, 0.3], [0.7, 0.95, -0.2, 0.62], [-0.81, 0.12, 0.5, 0.88]])  # off the knots, some outside
XC4 = np.array([0.1, 0.35, 0.9, 1.3])                  # coordinates along an axis of length 4
XC3 = np.array([-0.2, 0.4, 0.7])
P4 = rng.uniform(-0.9, 0.9, 4)                         # polynomial coefficients
ROWS.update({
    "np.convolve": ("np.convolve", [F(V7, kw=A), F(W4, kw="v"), S("same", kw="mode")]),
    "np.correlate": ("np.correlate", [F(W4, kw=A), F(V7, kw="v"), S("same", kw="mode")]),
    "np.interp": ("np.interp", [F(XQ, kw="x"), F(XP, kw="xp"), F(FP, kw="fp")]),
    "np.trapezoid": ("np.trapezoid", [F(X, kw="y"), F(XC4, kw="x")]),
    "np.polyval": ("np.polyval", [F(P4, kw="p"), F(X, kw="x")]),
    "np.cov": ("np.cov", [F(X, kw="m"), F(Y, kw="y")]),
    "np.corrcoef": ("np.corrcoef", [F(X, kw="x"), F(Y, kw="y")]),
    "np.meshgrid": ("np.meshgrid({0}, {1})[0] * np.meshgrid({0}, {1})[1]", [F(V), F(W4)]),
    "meshgrid_part": ("np.meshgrid({0}, {1}, {2}, indexing='ij')[2] + np.meshgrid({0}, {1}, {2}, indexing='ij')[0]",
                      [F(V), F(W4), F(X[:2].copy())]),
})
MORE.update({
    "np.convolve": [("np.convolve", [F(V7), F(W4)]), ("np.convolve", [F(W4), F(V7), S("valid")]),
                    ("np.convolve", [F(V), F(V7), S("same")]), ("np.convolve", [F(V7), F(V)]),
                    ("np.convolve", [F(V7), F(0.4), S("same")])],
    "np.correlate": [("np.correlate", [F(V7), F(W4)]), ("np.correlate", [F(W4), F(V7), S("full")]),
                     ("np.correlate", [F(V7), F(W4), S("same")]), ("np.correlate", [F(V), F(V7), S("valid")]),
                     ("np.correlate", [F(V7), F(V), S("full")])],
    "np.interp": [("np.interp", [F(XQ), F(XP), F(FP), F(0.25, kw="left"), F(-0.4, kw="right")]),
                  ("np.interp", [F(XQ[0].copy()), F(XP[:2].copy()), F(FP[:2].copy()), F(0.3)]),
                  ("np.interp", [F(XQ), S(np.array([0.2])), S(np.array([0.6])), F(0.1), F(0.9)])],
    "np.trapezoid": [("np.trapezoid", [F(T3), S(None), F(0.37), S(1)]), ("np.trapezoid", [F(X)]),
                     ("np.trapezoid", [F(X), F(XC3), K(0, kw="axis")]),
                     ("np.trapezoid", [F(T3), F(np.cumsum(np.abs(T3), axis=0)), K(0, kw="axis")])],
    "np.polyval": [("np.polyval", [F(P4), F(V)]), ("np.polyval", [F(P4), F(0.45)]), ("np.polyval", [F(P4), F(T3)])],
    "np.cov": [("np.cov", [F(X), K(True, kw="bias")]), ("np.cov", [F(X), K(False, kw="rowvar"), K(0, kw="ddof")]),
               ("np.cov", [F(W4), F(W4 * X[0] + 0.3 * X[1]), K(True, kw="bias")]),
               ("np.cov", [F(X.T.copy()), F(W4), K(False, kw="rowvar")]),
               # numpy reads y's single row as one variable, and m's as single observations
               ("np.cov", [F(Y.T.copy()), F(X[:1].copy()), K(False, kw="rowvar")]),
               ("np.cov", [F(X[:1].copy()), K(False, kw="rowvar"), K(True, kw="bias")]),
               ("np.cov", [F(V), F(V * V), K(2, kw="ddof")])],
    "np.corrcoef": [("np.corrcoef", [F(X.T.copy()), F(Y.T.copy()), K(False, kw="rowvar")]),
                    ("np.corrcoef", [F(W4), F(W4 ** 2 + X[0])]), ("np.corrcoef", [F(X), F(XC3 * V[:3]), S(False)])],
    "meshgrid_part": [("np.meshgrid({0}, {1}, sparse=True)[1]", [F(V), F(W4)]),
                      ("np.meshgrid({0}, {1}, {2})[1] * np.meshgrid({0}, {1}, {2})[2]", [F(V), F(W4), F(0.3)]),
                      ("np.meshgrid({0})[0]", [F(X)]),
                      ("np.meshgrid({0}, {1}, indexing='ij', sparse=True)[0]", [F(X), F(V)])],
})

# ufunc methods and NaN-aware extrema (rules/ufuncs.py)
XN = X.copy()
XN[0, 2], XN[2, 0] = np.nan, np.nan                    # NaNs, never a whole row or column
ROWS.update({
    "np.add.reduce": ("np.add.reduce", [F(X, kw="array"), S(1, kw="axis")]),
    "np.multiply.reduce": ("np.multiply.reduce", [F(XZ, kw="array"), S(0, kw="axis")]),
    "np.maximum.reduce": ("np.maximum.reduce", [F(X, kw="array")]),
    "np.minimum.reduce": ("np.minimum.reduce", [F(T3, kw="array"), S(-1, kw="axis")]),
    "np.logaddexp.reduce": ("np.logaddexp.reduce", [F(X, kw="array")]),
    "np.multiply.outer": ("np.multiply.outer", [F(V), F(X)]),
    "np.add.outer": ("np.add.outer", [F(X), F(V)]),
    "np.subtract.outer": ("np.subtract.outer", [F(V), F(W4)]),
    "np.nanmax": ("np.nanmax", [F(XN, kw=A), S(0, kw="axis")]),
    "np.nanmin": ("np.nanmin", [F(XN, kw=A), S(1, kw="axis")]),
    "np.nanargmax": ("np.nanargmax", [F(XN, kw=A)]),
    "np.nanargmin": ("np.nanargmin", [F(XN, kw=A), S(0, kw="axis")]),
    "np.add.accumulate": ("np.add.accumulate", [F(X, kw="array"), S(1, kw="axis")]),
    "np.multiply.accumulate": ("np.multiply.accumulate", [F(X, kw="array")]),
    "np.maximum.accumulate": ("np.maximum.accumulate", [F(X, kw="array"), S(1, kw="axis")]),
    "np.minimum.accumulate": ("np.minimum.accumulate", [F(T3, kw="array"), S(-1, kw="axis")]),
    "np.logaddexp.accumulate": ("np.logaddexp.accumulate", [F(X, kw="array")]),
})
MORE.update({
    "np.add.reduce": [("np.add.reduce", [F(T3)]), ("np.add.reduce", [F(T3), S((0, 2)), S(None), S(None), S(True)])],
    "np.multiply.reduce": [("np.multiply.reduce", [F(X), S(None, kw="axis")])],
    "np.maximum.reduce": [("np.maximum.reduce", [F(T3), S(None, kw="axis")]),
                          ("np.maximum.reduce", [F(X), S(1, kw="axis"), K(True, kw="keepdims")])],
    "np.minimum.reduce": [("np.minimum.reduce", [F(X)])],
    "np.logaddexp.reduce": [("np.logaddexp.reduce", [F(T3), S(2, kw="axis"), K(True, kw="keepdims")]),
                            ("np.logaddexp.reduce", [F(X), S(None, kw="axis")])],
    "np.multiply.outer": [("np.multiply.outer", [F(V), F(W4)]), ("np.multiply.outer", [F(X), F(T3)]),
                          ("np.multiply.outer", [F(X), F(0.3)])],
    "np.add.outer": [("np.add.outer", [F(0.3), F(X)]), ("np.add.outer", [F(V), F(W4)])],
    "np.subtract.outer": [("np.subtract.outer", [F(X), F(T3)])],
    "np.nanmax": [("np.nanmax", [F(XN)]), ("np.nanmax", [F(T3), S((0, 2), kw="axis"), K(True, kw="keepdims")])],
    "np.nanmin": [("np.nanmin", [F(XN)])],
    "np.add.accumulate": [("np.add.accumulate", [F(T3)])],
    "np.multiply.accumulate": [("np.multiply.accumulate", [F(XZ), S(1, kw="axis")])],
    "np.maximum.accumulate": [("np.maximum.accumulate", [F(V)]), ("np.maximum.accumulate", [F(T3), S(2)])],
    "np.minimum.accumulate": [("np.minimum.accumulate", [F(X)])],
    "np.logaddexp.accumulate": [("np.logaddexp.accumulate", [F(T3), S(2, kw="axis")]),
                                ("np.logaddexp.accumulate", [F(30.0 * V)])],
})
if hasattr(np, "trapz"):  # numpy < 2.4 still has the old name
    ROWS["np.trapz"] = ("np.trapz", [F(X, kw="y"), F(XC4, kw="x")])
ROWS.update({
    "np.polyder": ("np.polyder", [F(P4, kw="p")]),
    "np.vander": ("np.vander", [F(V, kw="x"), S(4, kw="N")]),
})
MORE.update({
    "np.polyder": [("np.polyder", [F(P4), S(2)]), ("np.polyder", [F(P4), S(0)]), ("np.polyder", [F(P4), S(6)])],
    "np.vander": [("np.vander", [F(V), S(3), K(True, kw="increasing")]), ("np.vander", [F(W4)]),
                  ("np.vander", [F(V), S(1)])],
})

# the rows a survey of real programs asked for (scipy's functions, sliding windows, index constructors)
import rule_specs_survey as _survey  # noqa: E402

ROWS.update(_survey.ROWS)
NO_FLOAT_INPUT.update(_survey.NO_FLOAT_INPUT)
for _op, _more in _survey.MORE.items():
    MORE.setdefault(_op, []).extend(_more)

# numpy.polynomial's series at points (rules/series.py)
XP = rng.uniform(-0.9, 0.9, (2, 3))
for _module, _prefix in (("polynomial", "poly"), ("chebyshev", "cheb"), ("legendre", "leg"), ("hermite", "herm"),
                         ("hermite_e", "herme"), ("laguerre", "lag")):
    _op = f"np.polynomial.{_module}.{_prefix}val"
    ROWS[_op] = (_op, [F(XP), F(P4)])
    MORE[_op] = [(_op, [F(0.4), F(P4)]), (_op, [F(V), F(P4[:2])])]
    _der = f"np.polynomial.{_module}.{_prefix}der"
    ROWS[_der] = (_der, [F(P4)])
    MORE[_der] = [(_der, [F(P4), S(2, kw="m")]), (_der, [F(V), S(1, kw="m"), S(0.5, kw="scl")])]
