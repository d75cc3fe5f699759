"""The examples' surface: every example writes the picture --plot promises, long runs report progress
also when piped (a plain periodic line), and Triton's CPU interpreter gets runs short enough to finish."""
import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples"))


@pytest.mark.parametrize("name,argv", [
    ("gradient_descent", []),
    ("linear_regression", ["--epochs", "50"]),
    ("two_layer_net", ["--steps", "5"]),
    ("digits_mlp", ["--epochs", "1"]),
    ("control_flow", []),
])
def test_every_example_writes_its_plot(name, argv, tmp_path, capsys):
    pytest.importorskip("matplotlib")
    if name == "digits_mlp":
        pytest.importorskip("sklearn")
    module = __import__(name)
    out = tmp_path / f"{name}.png"
    module.main(argv + ["--plot", str(out)])
    assert out.stat().st_size > 5000, "an empty picture"
    with open(out, "rb") as fh:
        assert fh.read(8) == b"\x89PNG\r\n\x1a\n"
    assert f"saved {out}" in capsys.readouterr().out


def test_control_flow_plot_derivative_matches_the_pieces(tmp_path):
    """The picture's s2sgrad derivative is the slope of each linear piece (between the jumps)."""
    pytest.importorskip("matplotlib")
    import numpy as np

    import control_flow
    ss, value, derivative = control_flow.plot_along_a_line(control_flow.f, str(tmp_path / "p.png"), n=60)
    value, derivative = np.array(value), np.array(derivative)
    slope = np.diff(value) / np.diff(ss)
    same_piece = np.isclose(derivative[1:], derivative[:-1])
    np.testing.assert_allclose(slope[same_piece], derivative[1:][same_piece], rtol=1e-9)
    assert same_piece.sum() > 40 and (~same_piece).sum() >= 3  # pieces, and jumps between them


def test_progress_prints_plain_lines_when_piped(capsys):
    import _common
    items = list(_common.progress(range(5), desc="work", interval=0.0))
    assert items == [0, 1, 2, 3, 4]
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("work: 1/5 (20%) after") and err[-1].startswith("work: 5/5 (100%) after")
    assert len(err) == 5 and "\r" not in "".join(err)
    list(_common.progress(range(3), desc="once", interval=3600))
    (line,) = capsys.readouterr().err.splitlines()  # only the last line when the run is short
    assert line.startswith("once: 3/3 (100%)")


def test_triton_interpreter_shortens_the_runs(monkeypatch, capsys):
    import _common
    monkeypatch.setenv("TRITON_INTERPRET", "1")
    assert _common.shortened("epochs", 60, 1, "epoch(s)", "triton") == 1
    assert "Triton interpreter (no GPU): 1 epoch(s) instead of 60" in capsys.readouterr().out
    assert _common.shortened("epochs", 60, 1, "epoch(s)", "numpy") == 60
    monkeypatch.setenv("TRITON_INTERPRET", "0")
    assert _common.shortened("steps", 500, 10, "steps", "triton") == 500
