"""The s2sgrad command: show, emit, check, and clean errors."""
import os

import numpy as np
import pytest

from s2sgrad.cli import main

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EX = os.path.join(ROOT, "examples")


def test_show_prints_specialised_source(capsys):
    assert main(["show", f"{EX}/two_layer_net.py:loss", "--color", "never"]) == 0
    out = capsys.readouterr().out
    assert "def loss_value_and_grad(W1, W2, X, y):" in out
    assert "grad_W1 = X.T @ grad_h" in out
    assert "\x1b[" not in out


def test_show_with_wrt_and_grad_variant(capsys):
    assert main(["show", f"{EX}/two_layer_net.py:loss", "--wrt", "W2", "--variant", "grad"]) == 0
    out = capsys.readouterr().out
    assert "def loss_grad(W1, W2, X, y):" in out
    assert "grad_W1" not in out  # activity analysis: W1's gradient is not asked for


def test_show_the_seeded_variant(capsys):
    assert main(["show", f"{EX}/two_layer_net.py:loss", "--variant", "vjp", "--color", "never"]) == 0
    out = capsys.readouterr().out
    assert "def loss_value_and_vjp(W1, W2, X, y, grad_out=1.0):" in out
    assert "2 * grad_out * diff" in out


def test_show_colour_when_asked(capsys):
    pytest.importorskip("pygments")
    assert main(["show", f"{EX}/gradient_descent.py:f", "--color", "always"]) == 0
    assert "\x1b[" in capsys.readouterr().out


def test_emit_writes_runnable_files(tmp_path, capsys):
    assert main(["emit", f"{EX}/linear_regression.py", "-o", str(tmp_path)]) == 0
    path = tmp_path / "linear_regression_mse.py"
    ns = {}
    exec(path.read_text(), ns)
    import numpy as np
    x = np.linspace(-1, 1, 50)
    value, (gw, gb) = ns["mse_value_and_grad"](0.0, 0.0, x, 3 * x + 0.8)
    assert np.isclose(gb, -1.6) and np.isclose(value, np.mean((3 * x + 0.8) ** 2))


def test_check_passes_on_examples(capsys):
    assert main(["check", f"{EX}/two_layer_net.py:loss", "--directions", "2"]) == 0
    out = capsys.readouterr().out
    assert "ok: loss wrt W1, W2" in out and "forward mode (jvp) agrees with them" in out


def test_check_at_a_jump_fails_and_says_why(tmp_path, capsys):
    # floor(3x) jumps at x = 1: the check runs at the user's inputs, where no derivative exists, and
    # says so rather than passing (it used to replace the inputs by random normals)
    src = tmp_path / "jump.py"
    src.write_text("import numpy as np\n\ndef f(x):\n    return np.sum(np.floor(x * 3.0) + x)\n\n"
                   "S2SGRAD_EXAMPLES = {'f': (np.ones(3),)}\n")
    assert main(["check", f"{src}:f"]) == 1
    out = capsys.readouterr().out
    assert "FAILED" in out and "jump or kink" in out
    # away from the jump, floor's derivative is 0 and the check passes
    assert main(["check", f"{src}:f", "--args", "np.array([0.1, 0.5, 0.9])"]) == 0
    assert "ok: f wrt x" in capsys.readouterr().out


def test_check_uses_the_example_inputs(tmp_path, capsys):
    # log and sqrt of the user's positive inputs: random normals would hand them negatives (NaN)
    src = tmp_path / "dom.py"
    src.write_text("import numpy as np\n\ndef f(p):\n    return np.sum(np.log(p) * np.sqrt(p))\n\n"
                   "S2SGRAD_EXAMPLES = {'f': (np.array([0.5, 1.5, 2.5]),)}\n")
    assert main(["check", f"{src}:f"]) == 0
    assert "ok: f wrt p at the example inputs" in capsys.readouterr().out


def test_check_fails_on_nan_inputs_domain(tmp_path, capsys):
    src = tmp_path / "neg.py"
    src.write_text("import numpy as np\n\ndef f(p):\n    return np.sum(np.log(p))\n\n"
                   "S2SGRAD_EXAMPLES = {'f': (np.array([-0.5, 1.5]),)}\n")
    with np.errstate(invalid="ignore"):
        assert main(["check", f"{src}:f"]) == 1
    out = capsys.readouterr().out
    assert "FAILED" in out and "non-finite" in out


def test_show_args_specialises(capsys):
    assert main(["show", f"{EX}/gradient_descent.py:f", "--color", "never", "--args", "np.ones(4)"]) == 0
    out = capsys.readouterr().out
    assert "specialised for x: float64[4]" in out and "GENERIC" not in out


@pytest.mark.parametrize("argv,msg", [
    (["show", "no/such/file.py:f"], "no such file"),
    (["show", f"{EX}/two_layer_net.py:nope"], "no function named 'nope'"),
    (["show", f"{EX}/two_layer_net.py"], "expected path/to/file.py:function"),
    (["show", f"{EX}/two_layer_net.py:loss", "--wrt", "Q"], "wrt names 'Q'"),
    (["check", f"{EX}/two_layer_net.py:handwritten_value_and_grad"], "no example inputs"),
])
def test_user_mistakes_are_one_line_errors(argv, msg, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert msg in err and "Traceback" not in err


def test_unsupported_code_is_reported_with_its_line(tmp_path, capsys):
    src = tmp_path / "m.py"
    src.write_text("import numpy as np\n\ndef f(x):\n    return np.sum(np.unwrap(x))\n")
    assert main(["show", f"{src}:f"]) == 2
    err = capsys.readouterr().err
    # (np.unwrap is a numpy function without a rule: refused where a derivative reaches it, its statement)
    assert "m.py:4:5" in err and "np.unwrap" in err and "^" in err


def test_emitted_file_refuses_other_shapes(tmp_path, capsys):
    assert main(["emit", f"{EX}/linear_regression.py", "-o", str(tmp_path)]) == 0
    ns = {}
    exec((tmp_path / "linear_regression_mse.py").read_text(), ns)
    import numpy as np
    x = np.linspace(-1, 1, 5)
    with pytest.raises(AssertionError, match="regenerate"):
        ns["mse_value_and_grad"](0.0, 0.0, x, x)


def test_version(capsys):
    import s2sgrad
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"s2sgrad {s2sgrad.__version__}"


def test_every_option_has_help():
    from s2sgrad.cli import build_parser
    parser = build_parser()
    subs = next(a for a in parser._actions if a.dest == "command").choices
    for name, sub in [("s2sgrad", parser)] + list(subs.items()):
        for action in sub._actions:
            assert action.help, (name, action.dest)


def test_show_is_plain_when_piped(capsys):
    # capsys's stdout is not a terminal: no colour codes even with pygments installed
    assert main(["show", f"{EX}/gradient_descent.py:f"]) == 0
    out = capsys.readouterr().out
    assert "\x1b[" not in out and "def f_value_and_grad(x):" in out


def test_check_a_non_scalar_output_takes_a_cotangent(tmp_path, capsys):
    src = tmp_path / "vec.py"
    src.write_text("import numpy as np\n\ndef f(x):\n    return np.sin(x) * x\n\n"
                   "S2SGRAD_EXAMPLES = {'f': (np.array([0.5, 1.0, 2.0]),)}\n")
    assert main(["check", f"{src}:f", "--cotangent", "np.array([1.0, 0.0, -2.0])"]) == 0
    assert "through the cotangent np.array([1.0, 0.0, -2.0])" in capsys.readouterr().out
    assert main(["check", f"{src}:f"]) == 0
    assert "through a random normal cotangent of shape (3,) (--seed 0" in capsys.readouterr().out
    # a cotangent of the wrong shape is the user's mistake: one line naming the shapes, exit status 2
    assert main(["check", f"{src}:f", "--cotangent", "np.ones(4)"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "(4,)" in err


def test_importing_a_script_without_a_main_guard_says_what_runs(tmp_path, capsys):
    src = tmp_path / "script.py"
    src.write_text("import numpy as np\n\ndef f(x):\n    return np.sum(x * x)\n\n"
                   "S2SGRAD_EXAMPLES = {'f': (np.ones(2),)}\nRAN = []\nRAN.append(1)\nfor i in range(2):\n    pass\n"
                   "if __name__ == '__main__':\n    raise SystemExit('the guard must not run')\n")
    assert main(["show", f"{src}:f"]) == 0
    err = capsys.readouterr().err
    assert "runs its top-level code, including the statements at lines 8, 9" in err
    guarded = tmp_path / "guarded.py"
    guarded.write_text("import numpy as np\n\ndef f(x):\n    return np.sum(x * x)\n\n"
                       "X = np.ones(3)\nEX = {'f': lambda: (np.ones(2),)}\n"
                       "if __name__ == '__main__':\n    print(f(X))\n")
    assert main(["show", f"{guarded}:f"]) == 0
    assert "runs its top-level code" not in capsys.readouterr().err


def test_show_without_examples_says_the_code_is_generic(tmp_path, capsys):
    src = tmp_path / "plain.py"
    src.write_text("import numpy as np\n\ndef f(x, w):\n    return np.sum(np.tanh(x * w))\n")
    assert main(["show", f"{src}:f"]) == 0
    out = capsys.readouterr().out
    assert "GENERIC variant: argument shapes unknown" in out and "--args" in out
