"""The example scripts run and print what they promise (numpy backend)."""
import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples"))


def test_gradient_descent(capsys):
    import gradient_descent
    x = gradient_descent.main([])
    out = capsys.readouterr().out
    assert "after 1 step:     x = 9.9800000000" in out
    assert "after 5000 steps: x = 0.0004494759" in out
    assert f"{x:.10f}" == "0.0004494759"


def test_linear_regression(capsys):
    import linear_regression
    w, b = linear_regression.main([])
    assert abs(w - 3) < 1e-9 and abs(b - 0.8) < 1e-9


def test_control_flow(capsys):
    import control_flow
    control_flow.main([])
    out = capsys.readouterr().out
    assert out.count("equal: True") == 2


def test_two_layer_net(capsys, tmp_path):
    import two_layer_net
    pytest.importorskip("matplotlib")
    losses = two_layer_net.main(["--steps", "200", "--plot", str(tmp_path / "loss.png")])
    out = capsys.readouterr().out
    assert "max |s2sgrad - hand-written| : 0.0" in out
    assert losses[-1] < 1e-3 * losses[0]
    assert (tmp_path / "loss.png").stat().st_size > 1000
    assert "grad_W1 = X.T @ grad_h" in out and "grad_w1 = X.T.dot(grad_h)" in out


def test_digits_mlp_reaches_95_percent():
    pytest.importorskip("sklearn")
    import digits_mlp
    _, losses, accuracy = digits_mlp.train(epochs=15, verbose=False)
    assert accuracy >= 0.95
    assert losses[-1] < losses[0]


def test_newton_converges_quadratically_with_exact_hessians(capsys):
    pytest.importorskip("sklearn")
    import newton
    w, losses = newton.main(["--steps", "8"])
    out = capsys.readouterr().out
    assert losses[-1] < losses[0] and abs(losses[-1] - losses[-2]) < 1e-12
    assert "training accuracy: 1.0000" in out
    hv_err = float(out.split("finite differences of the gradient|: ")[1].split()[0])
    assert hv_err < 1e-8
    assert "def loss_tangent_value_and_grad(w, X, y, dot_w):" in out


def test_long_simulation_trains_with_checkpointing(capsys):
    import long_simulation
    params = long_simulation.main(["--steps", "400", "--iterations", "4"])
    out = capsys.readouterr().out
    assert "gradients equal: True" in out
    losses = [float(line.split("loss ")[1].split()[0]) for line in out.splitlines() if line.startswith("iteration")]
    assert losses[-1] < losses[0]
    assert abs(params[0] - 2.0) < abs(1.7 - 2.0)
