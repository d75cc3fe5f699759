"""Every row of the rule table, checked against central finite differences in float64."""
import inspect

import numpy as np
import pytest

from rule_cases import CASES
from s2sgrad import differentiate
from s2sgrad.rules import RULES
from s2sgrad.testing import check_grads


@pytest.mark.parametrize("op", sorted(CASES))
def test_rule_matches_finite_differences(op):
    fn, args, *opts = CASES[op]
    wrt = tuple(inspect.signature(fn).parameters)
    f = differentiate(fn, wrt=wrt)
    check_grads(f, args, directions=3, **{"rtol": 1e-6, **(opts[0] if opts else {})})


def test_every_differentiable_rule_has_a_case():
    """A row has a case here or is walked with every floating argument active by
    test_rule_table_soundness.py (the rows added for issue 11 are walked there only)."""
    from rule_table_specs import NO_FLOAT_INPUT, ROWS as WALKED  # (rule_specs_numpy's merged in)
    missing = [op for op, r in RULES.items()
               if r.kind not in ("nondiff", "custom_vjp", "custom_jvp", "opaque")  # custom rows:
               # tests/test_custom_rules.py; library functions without a rule: tests/test_opaque_calls.py
               and op not in CASES and op not in WALKED and op not in NO_FLOAT_INPUT]
    assert missing == []


def test_nondiff_rules_give_no_gradient_path():
    @differentiate
    def f(x):
        return np.sum(np.floor(x) * x + np.sign(x))
    x = np.array([0.3, 1.7, -2.2])
    np.testing.assert_allclose(f.grad(x), np.floor(x))
