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

import numpy as np
import pytest

from rule_table_specs import LIST_LITERAL_REFUSED, MORE, NO_FLOAT_INPUT, RANDOM, REFUSED, ROWS, Code, F, K
from s2sgrad import differentiate
from s2sgrad.errors import S2SGradError
from s2sgrad.rules import RULES, Rule

# float32 casts: finite differences must step over float32 rounding
_TOLERANCE = {"np.float32": {"eps": 1e-3, "rtol": 1e-3}}
_counter = itertools.count()
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


def _cases(op, tmp_path, body="np.sum(np.sin(1.3 * np.asarray({}) + 0.2))"):
    """[(label, function, args)] for one row, written to a module so s2sgrad can read the source;
    each function returns `body` around the row's call (tests/test_rule_table_forward.py keeps
    the row's output an array)."""
    # the forms may read X (a boolean mask's source) and CH (np.choose's indices) from the specs
    lines, cases = ["import math", "import numpy as np", "from rule_table_specs import X", "from rule_specs_numpy import CH", ""], []
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
    failures, checked = walk(op, tmp_path)
    assert checked > 0
    assert failures == []


def test_every_row_is_walked_or_listed():
    # the rows of the user's own rules (custom_vjp/custom_jvp) are made per function when one is
    # called (rules/custom.py); tests/test_custom_rules.py checks them
    table = {op for op, r in RULES.items() if r.kind not in ("custom_vjp", "custom_jvp")}
    assert sorted(table - set(ROWS) - set(NO_FLOAT_INPUT)) == []
    assert sorted(set(ROWS) & set(NO_FLOAT_INPUT)) == []
    assert sorted((set(ROWS) | set(NO_FLOAT_INPUT)) - table) == []


@pytest.mark.parametrize("op", ["np.sin", "np.full", "np.array", "np.linspace", "np.triu", "np.float64",
                                "np.random.normal", "matmul", "np.sum", "np.clip", "tuple", "bool_or"])
def test_a_differentiable_row_marked_nondiff_fails(op, tmp_path, monkeypatch):
    """The walk catches the mistake this issue is about: a row marked nondiff that is not."""
    r = RULES[op]
    monkeypatch.setitem(RULES, op, Rule(op, None, "nondiff", r.lazy_g, r.shape_from_values))
    failures, _ = walk(op, tmp_path)
    assert failures, f"marking {op} nondiff went unnoticed"
