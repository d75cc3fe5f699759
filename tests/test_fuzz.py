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
