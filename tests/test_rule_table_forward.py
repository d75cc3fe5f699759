"""Forward mode on every row of the rule table: each row's JVP against central finite differences
and against its own reverse rule.

For each row (tests/rule_table_specs.py says how to call it) and each of its floating arguments,
made active in every form numpy accepts (the same variants tests/test_rule_table_soundness.py
walks), the function `sin(1.3 * row(...) + 0.2)` -- the row's output kept an array -- gets
- `s2sgrad.jvp` along a random direction of the active argument, compared element by element
  with central finite differences (and its value with the plain function);
- the dot-product test against reverse mode: `<J v, w> == <v, J^T w>` for a random w, to 1e-10
  relative (no finite differences involved, so only round-off separates the two).
A variant reverse mode refuses must be refused in forward mode too, except a list literal where
Python's operators decide (its tangent is still checked against finite differences).  A row
without a forward rule must be listed in `NO_FORWARD_RULE` with the reason, and is then checked to
be refused with the message naming it (none is listed today: every structural row has its `jvp`).
"""
import numpy as np
import pytest

import s2sgrad
from rule_table_specs import LIST_LITERAL_REFUSED, NO_FLOAT_INPUT, RANDOM, ROWS
from s2sgrad import differentiate
from s2sgrad.errors import S2SGradError
from s2sgrad.rules import RULES, Rule
from test_rule_table_soundness import _TOLERANCE, _cases, _needs

# rows without a forward-mode rule, and why (each is checked to be refused with a clear error)
NO_FORWARD_RULE = {}

# variants forward mode gets wrong today, outside the rule table (ad/forward.py, runtime_forward.py),
# with the reason; each must still fail, so a fix is noticed (then remove its entry)
KNOWN_FORWARD_BUGS: dict = {}
_MISSING = "has no forward-mode rule yet"
_BODY = "np.sin(1.3 * np.asarray({}) + 0.2)"


def _direction(p, rng):
    d = rng.standard_normal(np.shape(p))
    return float(d) if np.ndim(p) == 0 and not isinstance(p, np.ndarray) else d


def _call(fn, vals, random):
    if random:
        np.random.seed(0)
    return fn(*vals)


def _check(op, i, label, fn, expr, vals, eps=1e-6, rtol=1e-5):
    """None when forward mode is right for this variant, "skip" for a form numpy rejects, else a
    line saying what is wrong."""
    random = op in RANDOM
    try:
        with np.errstate(all="ignore"):
            ref = _call(fn, vals, random)
    except Exception:
        return "skip"
    where = f"{op} arg {i} {label}: {expr}"
    rng = np.random.default_rng(5)
    p = vals[0]
    v = _direction(p, rng)
    w = _direction(np.asarray(ref, dtype=float), rng) if np.ndim(ref) else float(rng.standard_normal())
    try:
        # the pullback runs the generated code once per call (`grad(seed=w)` may run the function
        # once more to learn the output's shape, which would draw other random numbers), on the
        # draws the value saw (the generator as vjp found it)
        _, pullback = _call(lambda *a: differentiate(fn, wrt="p").vjp(*a), vals, random)
        reverse = pullback(w)
    except S2SGradError as e:
        reverse = e
    try:
        _call(lambda *a: s2sgrad.jvp(fn, a, (v,) + (None,) * (len(a) - 1)), vals, random)  # compile
        value, tangent = _call(lambda *a: s2sgrad.jvp(fn, a, (v,) + (None,) * (len(a) - 1)), vals, random)
    except S2SGradError as e:
        if op in NO_FORWARD_RULE and _MISSING in str(e):
            return None
        if isinstance(reverse, S2SGradError):
            return None  # refused in both modes
        return f"{where}: refused in forward mode only: {str(e).splitlines()[0]}"
    if op in NO_FORWARD_RULE:
        return f"{where}: listed without a forward rule, but forward mode ran"
    if not np.allclose(value, ref, rtol=1e-12, atol=1e-12):
        return f"{where}: value {value!r}, numpy {ref!r}"
    if np.shape(tangent) != np.shape(ref):
        return f"{where}: tangent shape {np.shape(tangent)}, output {np.shape(ref)}"
    shifted = [_call(fn, [p + s * eps * v] + list(vals[1:]), random) for s in (1, -1)]
    fd = (np.asarray(shifted[0], dtype=float) - np.asarray(shifted[1], dtype=float)) / (2 * eps)
    if not np.allclose(tangent, fd, rtol=rtol, atol=max(1e-6, rtol / 10)):
        worst = np.unravel_index(np.argmax(np.abs(np.asarray(tangent) - fd)), np.shape(fd)) if np.ndim(fd) else ()
        return f"{where}: finite differences {np.asarray(fd)[worst]:.9g}, jvp {np.asarray(tangent)[worst]:.9g} at {worst}"
    if isinstance(reverse, S2SGradError):
        # Python, not numpy, decides what an operator or a list method does with a list literal,
        # so reverse mode refuses some (rule_table_specs.LIST_LITERAL_REFUSED); forward mode may
        # run them, and its tangent was just checked against finite differences
        return None if label == "list" and op in LIST_LITERAL_REFUSED else \
            f"{where}: reverse mode refuses it ({str(reverse).splitlines()[0]}) but forward mode ran"
    lhs = float(np.sum(np.asarray(tangent, dtype=float) * w))
    rhs = float(np.sum(np.asarray(reverse, dtype=float) * v))
    # 1e-10 relative: only round-off separates the two (float32 results: float32 round-off)
    if not abs(lhs - rhs) <= (1e-10 if rtol < 1e-4 else rtol) * max(1.0, abs(lhs), abs(rhs)):
        return f"{where}: <J v, w> = {lhs!r}, <v, J^T w> = {rhs!r}"
    return None


def walk(op, tmp_path):
    """Failures (lines) of one row over every active argument and form, the known ones (keys of
    KNOWN_FORWARD_BUGS) apart; also the number of checks."""
    failures, known, checked = [], set(), 0
    for i, label, fn, expr, vals in _cases(op, tmp_path, body=_BODY):
        try:
            bad = _check(op, i, label, fn, expr, vals, **_TOLERANCE.get(op, {}))
        except Exception as e:  # generated code that raises is a failure of its own
            bad = f"{op} arg {i} {label}: {expr}: {type(e).__name__}: {str(e).splitlines()[0]}"
        checked += bad != "skip"
        if bad and bad != "skip":
            if (op, i, label) in KNOWN_FORWARD_BUGS:
                known.add((op, i, label))
            else:
                failures.append(bad)
    return failures, known, checked


@pytest.mark.parametrize("op", sorted(ROWS))
def test_row_jvp_matches_finite_differences_and_reverse_mode(op, tmp_path):
    _needs(op)
    failures, known, checked = walk(op, tmp_path)
    assert checked > 0
    assert failures == []
    assert known == {k for k in KNOWN_FORWARD_BUGS if k[0] == op}, "a known forward-mode bug is fixed: remove its entry"


def test_every_structural_row_has_a_forward_rule_or_is_listed():
    missing = {op for op, r in RULES.items() if r.kind == "structural" and r.jvp is None}
    assert sorted(missing - set(NO_FORWARD_RULE)) == []
    assert sorted(set(NO_FORWARD_RULE) - missing) == []
    assert sorted(set(NO_FORWARD_RULE) - set(ROWS) - set(NO_FLOAT_INPUT)) == []


def _zero_jvp(c):
    return None  # a planted mistake: "the tangent is zero"


def _wrong_linear(c):
    args = list(c.call.args)
    args[0] = c.tangent_arg(0)
    return 2.0 * c.with_args(args)  # a planted mistake: twice the right tangent


@pytest.mark.parametrize("op,jvp", [("np.cumsum", None), ("np.linalg.inv", _zero_jvp), ("np.sort", _wrong_linear),
                                    ("np.einsum", _zero_jvp), ("decompose", _zero_jvp)])
def test_a_wrong_or_missing_forward_rule_fails(op, jvp, tmp_path, monkeypatch):
    """The walk catches a missing forward rule (unless listed) and a wrong one."""
    r = RULES[op]
    monkeypatch.setitem(RULES, op, Rule(op, r.vjp, r.kind, r.lazy_g, r.shape_from_values, jvp))
    walked = op if op != "decompose" else "np.linalg.eigh"
    failures, _, _ = walk(walked, tmp_path)
    assert failures, f"a {'missing' if jvp is None else 'wrong'} forward rule for {op} went unnoticed"
    if jvp is None:
        assert all(_MISSING in f for f in failures)
        # listed in NO_FORWARD_RULE, the same row passes: it is refused with the message naming it
        monkeypatch.setitem(NO_FORWARD_RULE, op, "planted")
        assert walk(walked, tmp_path)[0] == []


def _power_seven(p):
    return np.sin(np.linalg.matrix_power(p, 7))


def _power_minus_five(p):
    return np.sin(np.linalg.matrix_power(p, -5))


@pytest.mark.parametrize("fn", [_power_seven, _power_minus_five])
def test_matrix_power_of_high_order(fn):
    """|n| > 4 goes through runtime_jvp.matrix_power_jvp (the table's specs use small powers)."""
    a = np.array([[0.9, 0.2, -0.1], [0.1, 0.8, 0.2], [-0.2, 0.1, 0.7]])
    assert _check("np.linalg.matrix_power", 0, "positional", fn, fn.__name__, [a]) is None
