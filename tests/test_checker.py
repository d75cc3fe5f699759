"""The checking tools must not lie (issue 9, G): a mutation test.

Wrong derivative rules (and a wrong value) are planted in s2sgrad, and both `check_grads` and
`s2sgrad check` must fail on each; without the plant, both pass on the same functions and inputs
(so a failure is the plant's doing, not the inputs')."""
import textwrap
import warnings

import numpy as np
import pytest

from s2sgrad import compiler, differentiate, rules
from s2sgrad.builder import NP
from s2sgrad.cli import main
from s2sgrad.testing import check_grads

MUTANTS = {
    "log_half": ("np.log", lambda g, ans, x: g / (2 * x)),
    "sin_1pct": ("np.sin", lambda g, ans, x: g * NP.cos(x) * 1.01),
    "exp_nan": ("np.exp", lambda g, ans, x: g * ans * NP.sqrt(x * 0.0 - 1.0)),
    "exp_inf": ("np.exp", lambda g, ans, x: g * ans / (x * 0.0)),
}

# functions using the mutated rows; inputs inside their domains (p > 0)
MODULE = '''
import numpy as np


def scalar_loss(p, w):
    return np.sum(np.log(p) * w + np.sin(p * w) + np.exp(-p))


def vector_out(p):
    return np.sin(p) * np.log(p) + np.exp(0.5 * p)


def looped(x):
    y = x
    for i in range(3):
        y = np.sin(y) + x
    return y


S2SGRAD_EXAMPLES = {
    "scalar_loss": (np.array([0.5, 1.5, 2.5]), np.array([0.3, -0.7, 1.1])),
    "vector_out": (np.array([0.4, 0.9, 1.7, 2.2]),),
    "looped": (0.5,),
}
'''


@pytest.fixture
def mod(tmp_path):
    import importlib.util
    path = tmp_path / "checked.py"
    path.write_text(textwrap.dedent(MODULE))
    spec = importlib.util.spec_from_file_location("checked", path)
    m = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m)
    m.PATH = str(path)
    return m


def _plant(monkeypatch, mutant):
    op, vjp = MUTANTS[mutant]
    monkeypatch.setitem(rules.RULES, op, rules.RULES[op])  # restored after the test
    rules.unary(op, vjp)


@pytest.mark.parametrize("name", ["scalar_loss", "vector_out"])
def test_both_checkers_pass_without_a_plant(mod, name, capsys):
    check_grads(differentiate(getattr(mod, name)), mod.S2SGRAD_EXAMPLES[name])
    assert main(["check", f"{mod.PATH}:{name}"]) == 0
    assert "ok:" in capsys.readouterr().out


@pytest.mark.parametrize("name", ["scalar_loss", "vector_out"])
@pytest.mark.parametrize("mutant", sorted(MUTANTS))
def test_check_grads_fails_on_a_planted_rule(mod, name, mutant, monkeypatch):
    _plant(monkeypatch, mutant)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        with pytest.raises(AssertionError, match="mismatch|non-finite"):
            check_grads(differentiate(getattr(mod, name)), mod.S2SGRAD_EXAMPLES[name])


@pytest.mark.parametrize("name", ["scalar_loss", "vector_out"])
@pytest.mark.parametrize("mutant", sorted(MUTANTS))
def test_cli_check_fails_on_a_planted_rule(mod, name, mutant, monkeypatch, capsys):
    _plant(monkeypatch, mutant)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        assert main(["check", f"{mod.PATH}:{name}"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("FAILED") and "ok:" not in out


def test_the_log_plant_is_reported_with_its_numbers(mod, monkeypatch, capsys):
    # the plant of the issue: it used to print "ok, largest relative error 0.00e+00"
    _plant(monkeypatch, "log_half")
    assert main(["check", f"{mod.PATH}:scalar_loss"]) == 1
    out = capsys.readouterr().out
    assert "gradient mismatch for scalar_loss" in out and "finite differences" in out


def test_nan_plant_is_named_as_non_finite(mod, monkeypatch):
    _plant(monkeypatch, "exp_nan")
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        with pytest.raises(AssertionError, match="non-finite gradient for scalar_loss.*nan"):
            check_grads(differentiate(mod.scalar_loss), mod.S2SGRAD_EXAMPLES["scalar_loss"])


def _plant_wrong_value(monkeypatch, wrong):
    """Every compiled value_and_grad returns `wrong` as its value (the gradients are left right):
    the checker must compare the value, not only the gradients."""
    real = compiler.compile_signature

    def planted(*a, **k):
        c = real(*a, **k)
        vg = c.value_and_grad

        def value_and_grad(*args):
            return wrong, vg(*args)[1]
        c.value_and_grad = value_and_grad
        return c
    monkeypatch.setattr(compiler, "compile_signature", planted)


def test_looped_value_is_right_without_a_plant(mod):
    value, g = differentiate(mod.looped).value_and_grad(0.5)
    assert value == pytest.approx(mod.looped(0.5)) and value == pytest.approx(1.4712, abs=1e-4)
    check_grads(differentiate(mod.looped), (0.5,))


def test_check_grads_fails_on_a_wrong_value(mod, monkeypatch):
    _plant_wrong_value(monkeypatch, 0.5)  # issue 9 C.1: 0.5 where the function gives 1.4712
    with pytest.raises(AssertionError, match=r"value mismatch for looped: value_and_grad returns 0.5, the "
                                             r"function returns 1.4711906"):
        check_grads(differentiate(mod.looped), (0.5,))


def test_cli_check_fails_on_a_wrong_value(mod, monkeypatch, capsys):
    _plant_wrong_value(monkeypatch, 0.5)
    assert main(["check", f"{mod.PATH}:looped"]) == 1
    assert "value mismatch for looped" in capsys.readouterr().out


def test_check_grads_fails_on_a_wrong_gradient_shape(monkeypatch):
    real = compiler.compile_signature

    def planted(*a, **k):
        c = real(*a, **k)
        g = c.grad
        c.grad = lambda *args: np.sum(g(*args))  # the old tuple bug: a scalar for a (2,) argument
        return c
    monkeypatch.setattr(compiler, "compile_signature", planted)

    @differentiate
    def f(x):
        return np.sum(np.sin(x))
    with pytest.raises(AssertionError, match=r"gradient shape mismatch.*\(\).*\(2,\)"):
        check_grads(f, (np.array([1.0, 2.0]),))


def test_check_grads_fails_when_the_function_is_not_finite_at_the_inputs():
    @differentiate
    def f(p):
        return np.sum(np.log(p))
    with np.errstate(all="ignore"), pytest.raises(AssertionError, match="non-finite value.*domain"):
        check_grads(f, (np.array([-1.0, 2.0]),))


def test_check_grads_fails_when_finite_differences_are_not_finite():
    @differentiate
    def f(p):
        return np.sum(np.log(p + 1e-7))
    # at 0 the value and gradient are finite (1e7), the step to -1e-6 is not
    with np.errstate(all="ignore"), warnings.catch_warnings(), pytest.raises(AssertionError, match="not finite"):
        warnings.simplefilter("ignore")
        check_grads(f, (np.array([0.0, 2.0]),))


def test_check_grads_nonscalar_output_with_an_explicit_seed(mod):
    x = mod.S2SGRAD_EXAMPLES["vector_out"][0]
    assert check_grads(differentiate(mod.vector_out), (x,), grad_seed=np.array([1.0, -2.0, 0.5, 3.0])) < 1e-6
