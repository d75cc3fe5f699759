"""The structure fuzzer (tests/fuzz_struct.py) in CI: random programs over dicts, lists and tuples
of parameters, user objects, objects and lists made in the function, closures, and tuple, list and
dict literals bound to names (written, copied, bound again, read after); each accepted
one must give the plain function's value, gradients of the arguments' structure that match central
finite differences leaf by leaf, unchanged arguments, forward mode agreeing by the dot-product test,
and the same again when called with another signature.  Seed 104 has the newer forms
(tests/fuzz_struct_writes.py: writes into dicts and lists the function made, copies, update, |,
lists built by extend/+=, read backwards and by slices, comprehensions with if, dict
comprehensions, generators, nested unpacking, lambdas, np.fill_diagonal, np.where with nan on the
side not picked, 3 of them) in 12 of its 16 programs; seed 101 and the planted bugs run the programs as written
before them (new_forms=0).  And the fuzzer must catch each kind of planted bug: a test that cannot
fail is a defect.  The long run is in docs/testing.md."""
import numpy as np
import pytest

import fuzz_struct
from fuzz_struct_check import _check_gradient, leaves, with_leaf


def _report(failures):
    return "\n\n".join(f"{kind}: {detail}\n{src}" for kind, detail, src in failures[:3])


@pytest.mark.parametrize("seed, n, new_forms", [(101, 20, 0.0), (104, 16, fuzz_struct.NEW_FORMS_P)])
def test_random_structure_programs_are_differentiated_exactly_or_refused(seed, n, new_forms):
    counts, failures = fuzz_struct.run(n, seed, new_forms=new_forms)
    assert not failures, _report(failures)
    assert counts["wrong"] == counts["crash"] == counts["harness"] == 0, counts
    # 13 of 20 and 9 of 16 are ok (measured); a generator broken into refusals or invalid programs fails
    assert counts["ok"] >= 8, counts


def test_a_nan_gradient_is_accepted_only_where_the_function_is_not_smooth():
    """The check of np.where programs (nan_ok): a non-finite entry where finite differences give
    one finite number is wrong; where the function has no derivative it is accepted; a finite
    entry is still compared with finite differences."""
    rng = np.random.default_rng(0)
    x = np.array([0.5, 0.0, -0.7, 0.3])
    args = [{}, [], None, x, 0.0]
    fn = lambda p, xs, layer, x, s: float(np.sum(np.sqrt(np.abs(x))))  # noqa: E731 (no derivative at x = 0)
    exact = np.sign(x) * 0.5 / np.sqrt(np.abs(np.where(x == 0, 1.0, x)))
    accepted = []
    assert _check_gradient(fn, args, 3, np.where(x == 0, np.nan, exact), rng, accepted) == ("ok", "")
    assert accepted == [("x", "")]
    out, why = _check_gradient(fn, args, 3, np.where(x == 0.5, np.nan, exact), rng, [])
    assert out == "wrong" and "where the function is smooth" in why
    out, why = _check_gradient(fn, args, 3, np.where(x == 0, np.nan, exact * 1.01), rng, [])
    assert out == "wrong" and "finite differences" in why
    out, why = _check_gradient(fn, args, 3, np.where(x == 0, np.nan, exact), rng, None)  # not nan_ok
    assert out == "wrong" and "not finite" in why


# ---------------------------------------------------------------------- planted bugs
PLANTED = (8, 101)  # (programs, seed): the first programs of a seed the test above checks
PLANTED_FORMS = 0.0  # those programs as written before the newer forms
# Each runs the first 8 programs of seed 101, which the test above shows clean without the plant
# (6 accepted; between 2 and 6 of them are caught, depending on the plant).
def test_the_fuzzer_catches_a_derivative_rule_one_percent_off(monkeypatch):
    import s2sgrad.rules as rules
    monkeypatch.setitem(rules.RULES, "np.tanh", rules.RULES["np.tanh"])  # restored after the test
    rules.unary("np.tanh", lambda g, ans, x: g * (1 - ans * ans) * 1.01)
    counts, failures = fuzz_struct.run(*PLANTED, new_forms=PLANTED_FORMS)
    assert counts["wrong"] > 0 and any("finite differences" in d for _, d, _ in failures), counts


def test_the_fuzzer_catches_a_wrong_forward_rule(monkeypatch):
    """np.sum's forward rule doubled, its reverse rule left right: only the dot-product test sees it."""
    import dataclasses

    import s2sgrad.rules as rules
    from s2sgrad.builder import E
    row = rules.RULES["np.sum"]
    monkeypatch.setitem(rules.RULES, "np.sum", dataclasses.replace(row, jvp=lambda c: E(row.jvp(c)) * 2.0))
    counts, failures = fuzz_struct.run(*PLANTED, new_forms=PLANTED_FORMS)
    assert counts["wrong"] > 0 and any("forward mode" in d for _, d, _ in failures), counts


def _floating_paths(grads):
    return [p for p, v in leaves(grads) if isinstance(v, (np.ndarray, float))]


def _later_leaf_off(calls, args, value, grads):
    """1% off in the last nonzero floating leaf that is not the first of its argument's gradient
    (with several arguments grads is a tuple of theirs): a harness checking only the first leaf of
    each argument misses it.  Most leaves are zero (the program does not read them)."""
    paths = _floating_paths(grads)
    argument = (lambda p: p[:1]) if isinstance(grads, tuple) else (lambda p: ())
    firsts = {}
    for p in paths:
        firsts.setdefault(argument(p), p)
    later = [p for p in paths if p != firsts[argument(p)] and np.any(_at(grads, p))]
    for path in later[-1:]:
        grads = with_leaf(grads, path, _at(grads, path) * 1.01)
    return value, grads


def _at(tree, path):
    for _, k in path:
        tree = tree[k]
    return tree


def _drop_a_key(g):
    """g with the first dict in it (of params, or of an object) missing its last key; None where
    g holds no dict."""
    if isinstance(g, dict):
        return dict(list(g.items())[:-1])
    for i, v in enumerate(g if isinstance(g, (list, tuple)) else ()):
        d = _drop_a_key(v)
        if d is not None:
            return type(g)(list(g[:i]) + [d] + list(g[i + 1:]))
    return None


def _key_dropped(calls, args, value, grads):
    dropped = _drop_a_key(grads)
    return value, grads if dropped is None else dropped


def _argument_written(calls, args, value, grads):
    args[3][0] += 1.0  # x, written in place
    return value, grads


def _second_call_off(calls, args, value, grads):
    """Right the first time, 1% off on the second call (another signature, the same function)."""
    for path in _floating_paths(grads) if calls == 2 else ():
        grads = with_leaf(grads, path, _at(grads, path) * 1.01)
    return value, grads


@pytest.mark.parametrize("corrupt, expect", [(_later_leaf_off, "finite differences"), (_key_dropped, "structure: "),
                                             (_argument_written, "an argument was changed"),
                                             (_second_call_off, "second call")])
def test_the_fuzzer_catches_a_planted_gradient_or_argument_bug(monkeypatch, corrupt, expect):
    """s2sgrad.differentiate replaced by one whose value_and_grad passes its result through
    `corrupt` (the harness reads s2sgrad.differentiate at each call)."""
    import s2sgrad
    real = s2sgrad.differentiate

    class Planted:
        def __init__(self, f):
            self.f, self.calls = f, 0

        def value_and_grad(self, *args):
            self.calls += 1
            value, grads = self.f.value_and_grad(*args)
            return corrupt(self.calls, args, value, grads)

    monkeypatch.setattr(s2sgrad, "differentiate", lambda fn, **kw: Planted(real(fn, **kw)))
    counts, failures = fuzz_struct.run(*PLANTED, new_forms=PLANTED_FORMS)
    assert counts["wrong"] > 0 and any(expect in d for _, d, _ in failures), (counts, failures[:1])
