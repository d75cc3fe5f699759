"""The differential fuzzer (tests/fuzzgen.py) in CI: a few hundred random programs with rebinding,
views, subscript and augmented writes, aliases, loops, branches, break/return, helper calls,
reductions and broadcasting; each accepted one must give the plain function's value and gradients
that match central finite differences, and forward mode (s2sgrad.jvp) the same value and, by the
dot-product test, the same derivative.  The long run is `python tests/fuzzgen.py --n 5000`."""
import pytest

import fuzzgen


@pytest.mark.parametrize("seed", [101, 102, 103, 104])
def test_random_programs_are_differentiated_exactly_or_refused(seed):
    counts, failures = fuzzgen.run(100, seed)
    assert not failures, "\n\n".join(f"{kind}: {detail}\n{src}" for kind, detail, src in failures[:3])
    assert counts["ok"] >= 40, counts  # the generator still makes programs s2sgrad accepts


def test_the_fuzzer_catches_a_planted_wrong_rule(monkeypatch):
    """A fuzzer that cannot fail is no test: plant a wrong derivative for np.tanh and expect it to
    be reported."""
    import s2sgrad.rules as rules
    from s2sgrad.builder import NP
    wrong = rules.Rule("np.tanh", lambda c: (c.g * (1 - c.ans) * 1.0,), "elementwise")
    monkeypatch.setitem(rules.RULES, "np.tanh", wrong)
    counts, failures = fuzzgen.run(60, 101)
    assert counts["wrong"] > 0, counts
    del NP


def test_the_fuzzer_catches_a_planted_wrong_forward_rule(monkeypatch):
    """The forward half can fail too: np.sum's forward rule doubled, reverse left right."""
    import dataclasses

    import s2sgrad.rules as rules
    from s2sgrad.builder import E
    row = rules.RULES["np.sum"]
    wrong = dataclasses.replace(row, jvp=lambda c: E(row.jvp(c)) * 2.0)
    monkeypatch.setitem(rules.RULES, "np.sum", wrong)
    counts, failures = fuzzgen.run(60, 101)
    assert counts["wrong"] > 0 and any("forward mode" in d for _, d, _ in failures), counts


ROUNDING_BRANCH = '''
import numpy as np


def h_scale(p, c=2.0):
    r = p * c
    if np.sum(r) > 0:  # a sum that is 0 but for rounding: the branch flips from point to point
        return r - 0.5
    return r * r


def f(x, W, s):
    return np.sum(np.square(h_scale(x - np.mean(x, keepdims=True))))
'''


def test_a_branch_decided_by_rounding_is_not_reported_as_wrong(tmp_path):
    """fuzzgen seed 107's program 40: the branch's test is 0, 2e-16 or -2e-16 from point to point,
    so finite-difference steps land on the other branch (differences of 1e7, or another branch's
    slope).  The point has no derivative to compare with: 'invalid', not 'wrong' -- and a planted
    error in the same program is still caught (the neighbours' gradients are s2sgrad's too)."""
    import numpy as np
    mod = _module(tmp_path, "rounding_branch", ROUNDING_BRANCH)
    outcomes = [fuzzgen.check_program(mod.f, np.random.default_rng(seed))[0] for seed in range(40)]
    assert "wrong" not in outcomes and outcomes.count("invalid") >= 5 and outcomes.count("ok") >= 5, outcomes


def test_a_planted_wrong_rule_under_a_rounding_branch_is_still_caught(monkeypatch, tmp_path):
    import numpy as np

    import dataclasses

    import s2sgrad.rules as rules
    row = rules.RULES["np.square"]
    planted = dataclasses.replace(row, vjp=lambda c: tuple(None if v is None else v * 1.1 for v in row.vjp(c)))
    monkeypatch.setitem(rules.RULES, "np.square", planted)
    mod = _module(tmp_path, "rounding_branch_2", ROUNDING_BRANCH)
    outcomes = [fuzzgen.check_program(mod.f, np.random.default_rng(seed))[0] for seed in range(20)]
    assert outcomes.count("wrong") >= 10, outcomes


def _module(tmp_path, name, text):
    """The module of `text`, written to a file (s2sgrad reads a function's source from its file)."""
    import importlib.util
    path = tmp_path / f"{name}.py"
    path.write_text(text)
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod
