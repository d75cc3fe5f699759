"""Every row of the rule table -- `nondiff` rows included -- against central finite differences.

For each row (tests/rule_table_specs.py says how to call it) and each of its floating arguments, the
argument is made active in every form numpy accepts: positionally as an array, as a Python number,
as a list literal of its rows, and by keyword where numpy takes one (a form numpy itself rejects is
skipped).  The gradient of `sum(sin(1.3 * row(...) + 0.2))` must match finite differences along a
random direction, and the value must match the plain function.  A `nondiff` row whose result
moves with a floating argument gets a zero gradient where finite differences see a slope, so it
fails here: `test_a_differentiable_row_marked_nondiff_fails` plants exactly that mistake and checks
that the walk catches it.
"""
import importlib.util
import itertools
import os
import pathlib

import numpy as np
import pytest

from rule_table_specs import (LIST_LITERAL_REFUSED, MORE, NO_FLOAT_INPUT, RANDOM, REFUSED, ROWS, SQ, W, Code, F, K,
                              linalg_program)
from s2sgrad import differentiate
from s2sgrad.testing import check_grads
from s2sgrad.errors import S2SGradError
from s2sgrad.rules import RULES, Rule

# float32 casts: finite differences must step over float32 rounding
_TOLERANCE = {"np.float32": {"eps": 1e-3, "rtol": 1e-3}}
_counter = itertools.count()
rng = np.random.default_rng(3)
_SKIP = object()  # a form numpy itself rejects


def _literal(v):
    return str(v) if isinstance(v, Code) else repr(v)


def _variants(args, i):
    """(label, active value, [(keyword or None, text)], {param: value}) for argument i."""
    a = args[i]
    forms = [("positional", a.value, "p", False)]
    if isinstance(a.value, np.ndarray):
        forms.append(("number", float(a.value.flat[1]), "p", False))
        forms.append(("list", a.value, "[" + ", ".join(f"p[{k}]" for k in range(len(a.value))) + "]", False))
    if a.kw is not None:
        forms.append(("keyword", a.value, "p", True))
    for label, value, text, by_kw in forms:
        parts, params = [], {}
        keywords = False
        for j, b in enumerate(args):
            keywords = keywords or (by_kw and j == i) or isinstance(b, K)
            if keywords and b.kw is None:
                break  # a later argument numpy takes only by position
            if j == i:
                t = text
            elif isinstance(b.value, np.ndarray):
                t = f"c{j}"
                params[t] = b.value
            else:
                t = _literal(b.value)
            parts.append((b.kw if keywords else None, t))
        else:
            yield label, value, parts, params


def _render(form, parts):
    if "{" in form:
        if any(k for k, _ in parts):
            return None
        return form.format(*[t for _, t in parts])
    text = [f"{k}={t}" if k else t for k, t in parts]
    if form.startswith("."):
        if parts[0][0]:
            return None
        return f"{text[0]}{form}({', '.join(text[1:])})"
    return f"{form}({', '.join(text)})"


try:  # scipy's functions with rows; scipy is optional (the light test route lacks it)
    import scipy.special  # noqa: F401
    import scipy.stats  # noqa: F401
    from rule_specs_scipy_special import IMPORT as _SPECIAL_IMPORT
    _SCIPY_IMPORT = f"from scipy.special import expit, log_expit, logit, logsumexp\nfrom scipy.stats import norm, beta as beta_dist, expon, gamma as gamma_dist, poisson\nfrom scipy.signal import convolve2d, correlate2d\nfrom scipy.ndimage import map_coordinates\nfrom scipy.linalg import solve_triangular, expm\nfrom s2sgrad.runtime_scipy import scipy_cho_factor, scipy_cho_solve, expm_frechet\n{_SPECIAL_IMPORT}"
except ImportError:
    _SCIPY_IMPORT = ""


def _needs(op):
    if op == "logsumexp" or op.startswith("scipy_"):
        pytest.importorskip("scipy.stats")


def _cases(op, tmp_path, body="np.sum(np.sin(1.3 * np.asarray({}) + 0.2))"):
    """[(label, function, args)] for one row, written to a module so s2sgrad can read the source;
    each function returns `body` around the row's call (tests/test_rule_table_forward.py keeps
    the row's output an array)."""
    # the forms may read X (a boolean mask's source) and CH (np.choose's indices) from the specs
    lines, cases = ["import copy", "import math", "import numpy as np", "from rule_table_specs import X", "from rule_specs_numpy import CH",
                    "from s2sgrad.runtime_scatter import scatter_add", "from s2sgrad.runtime_linalg import cofactor, logdet, logdet_sign, multi_dot_checked", "from s2sgrad.runtime import smooth_square, smooth_abs_square", "from s2sgrad.runtime import draw_scale, draw_range, draw_span, draw_size", _SCIPY_IMPORT, ""], []
    for form, args in [ROWS[op]] + MORE.get(op, []):
        for i, a in enumerate(args):
            if not isinstance(a, F):
                continue
            for label, value, parts, params in _variants(args, i):
                if label == "list" and "{%d}[" % i in form:
                    continue  # a list literal subscripted with a tuple is a Python error
                expr = _render(form, parts)
                if expr is None:
                    continue
                name = f"f{next(_counter)}"
                names = ["p"] + sorted(params)
                lines += [f"def {name}({', '.join(names)}):",
                          f"    return {body.format(expr)}", ""]
                cases.append((i, label, name, expr, [value] + [params[n] for n in sorted(params)]))
    path = tmp_path / f"rows_{next(_counter)}.py"
    path.write_text("\n".join(lines))
    spec = importlib.util.spec_from_file_location(path.stem, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return [(i, label, getattr(mod, name), expr, vals) for i, label, name, expr, vals in cases]


def _call(fn, vals, random):
    if random:
        np.random.seed(0)
    return fn(*vals)


def _check(op, i, label, fn, expr, vals, eps=1e-6, rtol=1e-5):
    """None when the row is right for this variant, else a line saying what is wrong."""
    random = op in RANDOM
    try:
        with np.errstate(all="ignore"):
            ref = _call(fn, vals, random)
    except Exception:
        return _SKIP  # Python or numpy itself rejects this form
    where = f"{op} arg {i} {label}: {expr}"
    try:
        f = differentiate(fn, wrt="p")
        _call(f.value_and_grad, vals, random)  # compile (shape inference may draw random numbers)
        value, grad = _call(f.value_and_grad, vals, random)
    except S2SGradError as e:
        if (op, i) in REFUSED:
            return None
        if label == "list" and op in LIST_LITERAL_REFUSED and "list or tuple literal" in str(e):
            return None
        return f"{where}: refused: {str(e).splitlines()[0]}"
    if (op, i) in REFUSED:
        return f"{where}: expected a refusal"
    if not np.allclose(value, ref, rtol=1e-12, atol=1e-12):
        return f"{where}: value {value!r}, numpy {ref!r}"
    p = vals[0]
    d = np.random.default_rng(5).standard_normal(np.shape(p))
    if np.ndim(p) == 0:
        d = float(d)
    shifted = [[p + s * eps * d] + list(vals[1:]) for s in (1, -1)]
    fd = (_call(fn, shifted[0], random) - _call(fn, shifted[1], random)) / (2 * eps)
    if np.shape(grad) != np.shape(p):
        return f"{where}: gradient shape {np.shape(grad)}, argument {np.shape(p)}"
    ad = float(np.sum(np.asarray(grad) * d))
    if not abs(fd - ad) <= 1e-6 + rtol * max(abs(fd), abs(ad)):
        return f"{where}: finite differences {fd:.9g}, s2sgrad {ad:.9g}"
    return None


def walk(op, tmp_path):
    """Failures (lines) of one row over every active argument and form; also the number of checks."""
    failures, checked = [], 0
    for i, label, fn, expr, vals in _cases(op, tmp_path):
        bad = _check(op, i, label, fn, expr, vals, **_TOLERANCE.get(op, {}))
        checked += bad is not _SKIP
        if bad and bad is not _SKIP:
            failures.append(bad)
    return failures, checked


@pytest.mark.parametrize("op", sorted(ROWS))
def test_row_matches_finite_differences(op, tmp_path):
    _needs(op)
    failures, checked = walk(op, tmp_path)
    assert checked > 0
    assert failures == []


def test_every_row_is_walked_or_listed():
    # the rows of the user's own rules (custom_vjp/custom_jvp) are made per function when one is
    # called (rules/custom.py); tests/test_custom_rules.py checks them
    # rows; so are the rows of library functions without a rule (rules/opaque.py: made when one is
    # called, never differentiated; tests/test_opaque_calls.py checks them)
    table = {op for op, r in RULES.items() if r.kind not in ("custom_vjp", "custom_jvp", "opaque")}
    assert sorted(table - set(ROWS) - set(NO_FLOAT_INPUT)) == []
    assert sorted(set(ROWS) & set(NO_FLOAT_INPUT)) == []
    assert sorted((set(ROWS) | set(NO_FLOAT_INPUT)) - table) == []


@pytest.mark.parametrize("op", ["np.sin", "np.full", "np.array", "np.linspace", "np.triu", "np.float64",
                                "np.random.normal", "matmul", "np.sum", "np.clip", "tuple"])
# (bool_or is no longer in the list: `a or b` of values is lowered to the branch it takes,
# frontend/expressions.boolean, and the row is met only with tests on both sides)
def test_a_differentiable_row_marked_nondiff_fails(op, tmp_path, monkeypatch):
    """The walk catches the mistake this issue is about: a row marked nondiff that is not."""
    r = RULES[op]
    monkeypatch.setitem(RULES, op, Rule(op, None, "nondiff", r.lazy_g, r.shape_from_values))
    failures, _ = walk(op, tmp_path)
    assert failures, f"marking {op} nondiff went unnoticed"


# ------------------------------------------------------------------------------ float32
def _as32(v):
    """v in single precision: float64 arrays and Python floats become float32 (other values keep theirs)."""
    if isinstance(v, np.ndarray) and v.dtype == np.float64:
        return v.astype(np.float32)
    if isinstance(v, float):
        return np.float32(v)
    return v


def _check32(op, i, fn, expr, vals):
    """What is wrong with the row in float32 for this call ([] when nothing, _SKIP when numpy rejects
    the form): the value must be numpy's in float32, the gradient float32 ("dtype: ..." otherwise)
    and equal to the float64 gradient (which the float64 walk checks against finite differences) to
    float32 round-off."""
    random = op in RANDOM
    v32 = [_as32(v) for v in vals]
    try:
        with np.errstate(all="ignore"):
            ref = _call(fn, v32, random)
            _call(fn, vals, random)
    except Exception:
        return _SKIP
    where = f"{op} arg {i} float32: {expr}"
    try:
        f = differentiate(fn, wrt="p")
        for v in (vals, v32):  # compile both first (shape inference may draw random numbers)
            _call(f.value_and_grad, v, random)
        _, g64 = _call(f.value_and_grad, vals, random)
        value, g32 = _call(f.value_and_grad, v32, random)
    except S2SGradError as e:
        return [] if (op, i) in REFUSED else [f"{where}: refused: {str(e).splitlines()[0]}"]
    out = []
    if not np.allclose(value, ref, rtol=1e-5, atol=1e-5):
        out.append(f"{where}: value {value!r}, numpy {ref!r}")
    want = np.result_type(v32[0])
    if np.shape(g32) != np.shape(v32[0]):
        out.append(f"{where}: gradient shape {np.shape(g32)}, argument {np.shape(v32[0])}")
    elif np.asarray(g32).dtype != want:
        out.append(f"dtype: {where}: gradient {np.asarray(g32).dtype}, argument {want}")
    scale = max(1.0, float(np.max(np.abs(g64))))
    if not np.allclose(np.asarray(g32, np.float64), g64, rtol=1e-3, atol=1e-3 * scale):
        err = float(np.max(np.abs(np.asarray(g32, np.float64) - g64)))
        out.append(f"{where}: float32 gradient differs from float64's by {err:.3g} (scale {scale:.3g})")
    return out


def walk32(op, tmp_path):
    """The float32 pass over one row: each floating argument active once, in its first form numpy
    accepts (positional where there is one)."""
    failures, checked, seen = [], 0, set()
    for i, label, fn, expr, vals in _cases(op, tmp_path):
        if i in seen or label not in ("positional", "keyword"):
            continue
        bad = _check32(op, i, fn, expr, vals)
        if bad is _SKIP:
            continue
        seen.add(i)
        checked += 1
        failures += bad
    return failures, checked


# float32 gradients that come back float64 (values right), each to keep failing exactly this way
# until fixed: none today (the last ones were fixed with this list's introduction)
_FLOAT32_DTYPE_KNOWN: set = set()


@pytest.mark.parametrize("op", sorted(ROWS))
def test_row_in_float32(op, tmp_path):
    _needs(op)
    failures, checked = walk32(op, tmp_path)
    assert checked > 0, f"{op}: no form takes a float32 argument"
    if op in _FLOAT32_DTYPE_KNOWN:
        assert failures and all(f.startswith("dtype: ") for f in failures), failures or \
            f"{op} gives float32 gradients now: remove it from _FLOAT32_DTYPE_KNOWN"
    else:
        assert failures == []


# ------------------------------------------------------------------------------ spellings lowered to rows
_RC = {  # np.r_ / np.c_ (frontend/expressions.py) become concatenate / column_stack with aranges
    "r_arrays": ("np.sum(np.r_[a, b] ** 2 * np.arange(6))", (rng.standard_normal(3), rng.standard_normal(3))),
    "r_slices_numbers": ("np.sum(np.sin(np.r_[0:3, a, b[0], 2.0, [1.5, b[1]], 0:1:0.5]) * np.arange(12))",
                         (rng.standard_normal(3), rng.standard_normal(3))),
    "r_matrices": ("np.sum(np.r_[a, b] ** 3)", (rng.standard_normal((2, 3)), rng.standard_normal((3, 3)))),
    "c_columns": ("np.sum(np.c_[a, b, 0:3] ** 2 * np.arange(9).reshape(3, 3))",
                  (rng.standard_normal(3), rng.standard_normal(3))),
    "c_matrix_and_column": ("np.sum(np.tanh(np.c_[a, b]) * np.arange(12).reshape(4, 3))",
                            (rng.standard_normal((4, 2)), rng.standard_normal(4))),
}


def _module(tmp_path, name, body, params="a, b"):
    path = tmp_path / f"{name}_{next(_counter)}.py"
    path.write_text(f"import numpy as np\n\n\ndef f({params}):\n    return {body}\n")
    spec = importlib.util.spec_from_file_location(path.stem, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.f


@pytest.mark.parametrize("name", sorted(_RC))
def test_r_and_c_match_finite_differences(name, tmp_path):
    body, args = _RC[name]
    f = _module(tmp_path, name, body)
    d = differentiate(f, wrt=("a", "b"))
    check_grads(d, args)
    assert np.isclose(d.value_and_grad(*args)[0], f(*args), rtol=1e-13)
    src = d.compiled_for(*args).value_and_grad_source
    assert ("np.concatenate(" in src) if "r_" in body else ("np.column_stack((" in src)
    # forward mode reads the same rows: the tangent along a random direction against finite differences
    import s2sgrad
    dirs = tuple(rng.standard_normal(np.shape(a)) for a in args)
    _, tangent = s2sgrad.jvp(f, args, dirs)
    eps = 1e-6
    fd = (f(*[a + eps * v for a, v in zip(args, dirs)]) - f(*[a - eps * v for a, v in zip(args, dirs)])) / (2 * eps)
    assert np.isclose(tangent, fd, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("body,args,message", [
    ("np.sum(np.r_['0,2', a, b])", (np.ones(2), np.ones(2)), "directive string"),
    ("np.sum(np.r_[a, 0:1:5j])", (np.ones(2), np.ones(2)), "np.linspace"),
    ("np.sum(np.c_[a, b])", (np.ones((2, 2, 2)), np.ones((2, 2, 2))), "along the last axis"),
])
def test_r_and_c_forms_that_are_refused(body, args, message, tmp_path):
    f = _module(tmp_path, "refused", body)
    with pytest.raises(S2SGradError, match=message):
        differentiate(f, wrt=("a", "b")).grad(*args)


def test_linalg_results_have_static_shapes():
    """inv/solve/cholesky of the shape-inference placeholder raise (it is singular); their shapes
    come from an invertible one, so the generated code is the specialised one (no run-time
    unbroadcast, no np.full_like) -- compared with tests/golden/linalg_specialised.py."""
    args = (SQ + 3 * np.eye(3), W, W[::-1].copy())
    d = differentiate(linalg_program, wrt=("A", "b", "x"))
    check_grads(d, args)
    src = d.compiled_for(*args).value_and_grad_source
    assert "unbroadcast" not in src and "full_like" not in src
    path = pathlib.Path(__file__).parent / "golden" / "linalg_specialised.py"
    if os.environ.get("S2SGRAD_UPDATE_GOLDEN") == "1":
        path.write_text(src)
    assert src == path.read_text(), "generated source changed: S2SGRAD_UPDATE_GOLDEN=1 to refresh, review the diff"
